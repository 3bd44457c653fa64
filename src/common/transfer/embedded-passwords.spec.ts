import { DomainException } from '../errors/domain.exception';
import {
  carriesCredential,
  embeddedCredentialFields,
  refuseEmbeddedCredentials,
  refuseEmbeddedPasswords,
} from './embedded-passwords';

describe('credentials in non-secret fields', () => {
  it.each([
    'http://user:pass@host:9200',
    'https://token@host',
    'mongodb://u:p@h:27017/db',
    'amqp://guest:guest@rabbit:5672',
    'host?user=a&password=b',
    'Server=db;Database=x;Pwd=secret',
    'cliservice;PASSWORD=x',
    'https://es:9200/?api_key=abc',
  ])('finds one in %s', (value) => {
    expect(carriesCredential(value)).toBe(true);
  });

  it.each([
    'http://es1:9200',
    'db.internal',
    'kafka-1:9092',
    'http://host/path@x',
    'http://elastic:******@es1:9200',
    'password',
    'utf8mb4',
    'sslmode=require',
  ])('finds none in %s', (value) => {
    expect(carriesCredential(value)).toBe(false);
  });

  it('looks into lists and skips secret fields', () => {
    const config = { nodes: ['http://es1:9200', 'http://u:p@es2:9200'], password: 'pw=1', uri: 'mongodb://u:p@h' };
    expect(embeddedCredentialFields(config, (f) => f === 'password' || f === 'uri')).toEqual(['nodes']);
  });

  it('refuses with a 400 naming the field and the secret field to use instead', () => {
    let error: DomainException | undefined;
    try {
      refuseEmbeddedCredentials(
        { management_url: 'http://admin:pw@rabbit:15672' },
        { path: 'config', isSecret: () => false, secretFields: ['management_password'] },
      );
    } catch (err) {
      error = err as DomainException;
    }
    expect(error?.code).toBe('INVALID_REQUEST');
    expect(error?.message).toContain('config.management_url');
    expect(error?.message).toContain('secret field');
    expect(error?.details).toContain('config.management_password');
  });

  it('refuses a whole import naming the item', () => {
    const items = [
      { type: 'redis', config: { host: 'h' } },
      { type: 'redis', config: { host: 'redis://:pw@h' } },
    ];
    expect(() =>
      refuseEmbeddedPasswords(items, { listKey: 'data_sources', configKey: 'config' }, () => ['password']),
    ).toThrow(/data_sources\[1\]\.config\.host/);
    expect(() =>
      refuseEmbeddedPasswords(items, { listKey: 'data_sources', configKey: 'config' }, () => undefined),
    ).not.toThrow();
  });
});
