import { decodeDictionaryName, dictionaryName } from './innodb-dictionary';

describe('MySQL InnoDB dictionary names', () => {
  it('names InnoDB dictionary entries only where no file-name encoding applies', () => {
    expect(dictionaryName('sales', 'orders_2024')).toBe('sales/orders_2024');
    expect(dictionaryName('sales', 'odd-name')).toBeUndefined();
    expect(decodeDictionaryName('sales/odd@002dname')).toBe('sales/odd-name');
  });
});
