import { ConfigField } from '@app/connectors';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { ConfigSecrets, maskUriPassword } from './config-secrets';

const spec: ConfigField[] = [
  { name: 'host', type: 'string', required: false, secret: false, description: '' },
  { name: 'password', type: 'string', required: false, secret: true, description: '' },
  { name: 'uri', type: 'string', required: false, secret: true, description: '' },
  { name: 'nodes', type: 'string[]', required: false, secret: false, description: '' },
];

describe('ConfigSecrets', () => {
  const cipher = new SecretCipher('a key for the config secrets spec');
  const secrets = new ConfigSecrets(cipher, spec);

  it('stores secret fields and URI passwords encrypted, and reveals them again', () => {
    const clear = { host: 'db', password: 'pw-123', nodes: ['http://elastic:node-pw@es1:9200', 'http://es2:9200'] };
    const stored = secrets.seal(clear);
    expect(JSON.stringify(stored)).not.toContain('pw-123');
    expect(JSON.stringify(stored)).not.toContain('node-pw');
    expect(stored.host).toBe('db');
    expect((stored.nodes as string[])[1]).toBe('http://es2:9200');
    expect(secrets.reveal(stored)).toEqual(clear);
  });

  it('masks secrets and only the password of a URI', () => {
    const stored = secrets.seal({
      host: 'db',
      password: 'pw-123',
      uri: 'mongodb://u:p@h',
      nodes: ['http://elastic:node-pw@es1:9200'],
    });
    expect(secrets.mask(stored)).toEqual({
      host: 'db',
      password: '******',
      uri: '******',
      nodes: ['http://elastic:******@es1:9200'],
    });
    expect(maskUriPassword('postgres://a:b@c/d')).toBe('postgres://a:******@c/d');
    expect(maskUriPassword('http://host:9200')).toBe('http://host:9200');
  });

  it('merges key by key: the mask keeps a stored secret, null removes a key, a masked URI keeps the stored one', () => {
    const stored = secrets.seal({ host: 'db', password: 'pw-123', nodes: ['http://elastic:node-pw@es1:9200'] });
    const merged = secrets.merge(stored, {
      host: 'db2',
      password: '******',
      nodes: ['http://elastic:******@es1:9200', 'http://es3:9200'],
    });
    expect(merged).toEqual({
      host: 'db2',
      password: 'pw-123',
      nodes: ['http://elastic:node-pw@es1:9200', 'http://es3:9200'],
    });
    expect(secrets.merge(stored, { password: null })).toEqual({
      host: 'db',
      nodes: ['http://elastic:node-pw@es1:9200'],
    });
    expect(secrets.merge(stored, { password: 'new' }).password).toBe('new');
  });

  it('reports masks that stand for nothing stored', () => {
    expect(secrets.unresolvedMasks({ password: '******', host: 'x' })).toEqual(['password']);
    expect(secrets.unresolvedMasks({ nodes: ['http://u:******@h:1'] })).toEqual(['nodes']);
    expect(secrets.dropMaskedSecrets({ password: '******', host: 'x' })).toEqual({
      config: { host: 'x' },
      dropped: ['password'],
    });
  });
});
