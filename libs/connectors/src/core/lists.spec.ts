import { chunk, groupBy } from './lists';

describe('lists', () => {
  it('chunks and groups keeping order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect([...groupBy(['a1', 'b1', 'a2'], (s) => s[0]).entries()]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
  });
});
