import { ConfigField, createDefaultRegistry } from '@app/connectors';
import { DomainException } from '../common/errors/domain.exception';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { ConfigSecrets } from './config-secrets';
import { carriedSecretFields, changedAddressingFields, refuseSecretsToNewTarget } from './secret-binding';

const spec: ConfigField[] = [
  { name: 'host', type: 'string', required: true, secret: false, addressing: true, description: '' },
  { name: 'port', type: 'integer', required: false, default: 5432, secret: false, addressing: true, description: '' },
  {
    name: 'sslmode',
    type: 'string',
    required: false,
    default: 'verify-full',
    secret: false,
    addressing: true,
    description: '',
  },
  { name: 'nodes', type: 'string[]', required: false, secret: false, addressing: true, description: '' },
  { name: 'database', type: 'string', required: false, secret: false, description: '' },
  { name: 'password', type: 'string', required: false, secret: true, description: '' },
  { name: 'api_key', type: 'string', required: false, secret: true, description: '' },
];

describe('secret binding: which addressing fields changed', () => {
  const stored = { host: 'db.internal', password: 'pw', nodes: ['http://es1:9200'] };

  it('sees a changed host, port, TLS mode or node list, and a removed one', () => {
    expect(changedAddressingFields(spec, stored, { ...stored, host: '127.0.0.1' })).toEqual(['host']);
    expect(changedAddressingFields(spec, stored, { ...stored, port: 5433 })).toEqual(['port']);
    expect(changedAddressingFields(spec, stored, { ...stored, sslmode: 'require' })).toEqual(['sslmode']);
    expect(
      changedAddressingFields(spec, stored, { ...stored, nodes: ['http://es1:9200', 'http://evil:9200'] }),
    ).toEqual(['nodes']);
    expect(changedAddressingFields(spec, stored, { password: 'pw', nodes: stored.nodes })).toEqual(['host']);
  });

  it('compares with defaults applied: the default port written out is the same address', () => {
    expect(changedAddressingFields(spec, stored, { ...stored, port: 5432, sslmode: 'verify-full' })).toEqual([]);
    expect(changedAddressingFields(spec, { ...stored, port: 5432 }, stored)).toEqual([]);
  });

  it('ignores fields that do not address the server', () => {
    expect(changedAddressingFields(spec, stored, { ...stored, database: 'other', password: 'new' })).toEqual([]);
  });

  it('binds where the stored config leaves an addressing field unset too (a template without a host)', () => {
    expect(changedAddressingFields(spec, { password: 'pw' }, { password: 'pw', host: 'anywhere' })).toEqual(['host']);
    expect(changedAddressingFields(spec, { password: 'pw' }, { password: 'pw' })).toEqual([]);
  });
});

describe('secret binding: which stored secrets a request carries over', () => {
  it('counts secrets sent as the mask or left out, not ones sent again or removed', () => {
    const current = { host: 'h', password: 'pw', api_key: 'k' };
    expect(carriedSecretFields(spec, current, { host: 'x', password: '******' })).toEqual(['password', 'api_key']);
    expect(carriedSecretFields(spec, current, { host: 'x', password: 'pw', api_key: null })).toEqual([]);
    expect(carriedSecretFields(spec, { host: 'h' }, { host: 'x' })).toEqual([]);
  });

  it('counts a stored URL credential sent back masked', () => {
    const current = { host: 'h', nodes: ['http://elastic:node-pw@es1:9200'] };
    expect(carriedSecretFields(spec, current, { nodes: ['http://elastic:******@es1:9200'] })).toEqual(['nodes']);
  });
});

describe('refuseSecretsToNewTarget', () => {
  const refusal = (fn: () => void): DomainException => {
    try {
      fn();
    } catch (err) {
      return err as DomainException;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a kept secret with a new address, naming the secret and the changed field', () => {
    const current = { host: '10.0.0.5', password: 'pw' };
    const err = refusal(() =>
      refuseSecretsToNewTarget(spec, current, { host: '127.0.0.1' }, { host: '127.0.0.1', password: 'pw' }, 'config'),
    );
    expect(err).toBeInstanceOf(DomainException);
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('config.password');
    expect(err.message).toContain('config.host');
  });

  it('lets through the same address with the mask, and a new address with the secret sent again', () => {
    const current = { host: '10.0.0.5', password: 'pw' };
    expect(() =>
      refuseSecretsToNewTarget(
        spec,
        current,
        { password: '******', database: 'x' },
        { ...current, database: 'x' },
        'config',
      ),
    ).not.toThrow();
    expect(() =>
      refuseSecretsToNewTarget(spec, current, { host: 'h2', password: 'pw' }, { host: 'h2', password: 'pw' }, 'config'),
    ).not.toThrow();
  });
});

describe('ConfigSecrets.merge applies the rule for every caller', () => {
  const cipher = new SecretCipher('a key for the secret binding spec');
  const secrets = new ConfigSecrets(cipher, spec);
  const stored = secrets.seal({ host: '10.0.0.5', password: 'pw' });

  it('throws naming the path given (config_overrides for template apply)', () => {
    expect(() => secrets.merge(stored, { host: '127.0.0.1', password: '******' })).toThrow(
      /config\.password must be sent again/,
    );
    expect(() => secrets.merge(stored, { port: 1 }, 'config_overrides')).toThrow(/config_overrides\.password/);
    expect(secrets.merge(stored, { host: '127.0.0.1', password: 'again' })).toEqual({
      host: '127.0.0.1',
      password: 'again',
    });
    expect(secrets.merge(stored, { password: '******' })).toEqual({ host: '10.0.0.5', password: 'pw' });
  });
});

describe('every source type marks its addressing fields', () => {
  const expected: Record<string, string[]> = {
    postgresql: ['host', 'port', 'ssl', 'sslmode', 'ssl_ca'],
    mysql: ['host', 'port', 'ssl', 'ssl_ca', 'ssl_verify'],
    doris: ['host', 'port', 'ssl', 'ssl_ca', 'ssl_verify'],
    clickhouse: ['host', 'port', 'ssl', 'protocol', 'ssl_ca'],
    oracle: ['host', 'port', 'ssl', 'service_name', 'sid'],
    sqlserver: ['host', 'port', 'ssl', 'encrypt', 'trust_server_certificate', 'instance_name'],
    hive: ['host', 'port', 'ssl', 'auth'],
    mongodb: ['uri', 'host', 'port', 'tls'],
    redis: ['host', 'port', 'tls'],
    kafka: [
      'brokers',
      'ssl',
      'sasl_mechanism',
      'schema_registry_url',
      'schema_registry_ca',
      'schema_registry_tls_skip_verify',
    ],
    rabbitmq: ['host', 'port', 'ssl', 'management_url'],
    minio: ['endpoint', 'port', 'use_ssl'],
    elasticsearch: ['nodes', 'ca_fingerprint', 'tls_skip_verify'],
  };
  const registry = createDefaultRegistry();

  it.each(Object.keys(expected))('%s', (type) => {
    const marked = registry
      .get(type)
      .configSpec.filter((f) => f.addressing)
      .map((f) => f.name);
    expect(marked.sort()).toEqual([...expected[type]].sort());
    // a secret's own field never counts as "not sent again" because of itself
    expect(registry.get(type).configSpec.some((f) => f.secret)).toBe(true);
  });
});
