import { ConnectorErrorCode } from '../core/errors';
import { endpointsOf, mongoClientParams, parseMongoUri } from './connection-string';
import { mongoSettings } from './config';

describe('parseMongoUri', () => {
  it('reads a replica-set seed list, with credentials, IPv6 and default ports', () => {
    expect(parseMongoUri('mongodb://u%40x:p%2Fw@db1.example:27018,db2.example,[::1]:27019/app?replicaSet=rs0')).toEqual(
      {
        hosts: [
          { host: 'db1.example', port: 27018 },
          { host: 'db2.example', port: 27017 },
          { host: '::1', port: 27019 },
        ],
        tls: false,
        tlsInsecure: false,
        tlsFiles: false,
      },
    );
  });

  it('turns TLS on for mongodb+srv unless the URI says otherwise', () => {
    expect(parseMongoUri('mongodb+srv://user:pw@cluster0.example.net/?retryWrites=true')).toEqual({
      srvName: 'cluster0.example.net',
      hosts: [],
      tls: true,
      tlsInsecure: false,
      tlsFiles: false,
    });
    expect(parseMongoUri('mongodb+srv://cluster0.example.net/?tls=false').tls).toBe(false);
  });

  it('reads TLS switches from the options', () => {
    expect(parseMongoUri('mongodb://h/?ssl=true&tlsAllowInvalidCertificates=true&tlsCAFile=/etc/ca.pem')).toMatchObject(
      {
        tls: true,
        tlsInsecure: true,
        tlsFiles: true,
      },
    );
  });

  it('refuses what is not a MongoDB URI', () => {
    expect(() => parseMongoUri('postgres://h/db')).toThrow(
      expect.objectContaining({ code: ConnectorErrorCode.InvalidConfig }),
    );
    expect(() => parseMongoUri('mongodb+srv://a.example,b.example/')).toThrow(/exactly one host/);
    expect(() => parseMongoUri('mongodb://h:port/')).toThrow(/not a number/);
  });
});

describe('endpointsOf and mongoClientParams', () => {
  it('builds a URI from host and port and passes settings as driver options', () => {
    const settings = mongoSettings({
      host: 'a.example,b.example:27020',
      port: 27100,
      username: 'reader',
      password: 'pw',
      auth_source: 'admin',
      tls: true,
      replica_set: 'rs0',
      timeout: 5,
      max_conns: 3,
    });
    expect(endpointsOf(settings).hosts).toEqual([
      { host: 'a.example', port: 27100 },
      { host: 'b.example', port: 27020 },
    ]);
    const { uri, options } = mongoClientParams(settings);
    expect(uri).toBe('mongodb://a.example:27100,b.example:27020/');
    expect(options).toMatchObject({
      auth: { username: 'reader', password: 'pw' },
      authSource: 'admin',
      tls: true,
      replicaSet: 'rs0',
      maxPoolSize: 3,
      serverSelectionTimeoutMS: 5000,
      connectTimeoutMS: 5000,
    });
  });

  it('uses the URI as given and keeps credentials out of it when they come from fields', () => {
    const { uri, options } = mongoClientParams(mongoSettings({ uri: 'mongodb://h1,h2/?replicaSet=rs1' }));
    expect(uri).toBe('mongodb://h1,h2/?replicaSet=rs1');
    expect(options.auth).toBeUndefined();
  });
});
