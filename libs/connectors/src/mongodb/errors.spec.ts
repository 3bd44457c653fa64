/**
 * Classification of the driver's own error classes, built as the driver builds them from server
 * replies ({ ok: 0, code, codeName, errmsg }, https://www.mongodb.com/docs/manual/reference/error-codes/).
 */
import { MongoNetworkError, MongoNetworkTimeoutError, MongoParseError, MongoServerError } from 'mongodb';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { classifyMongoError } from './errors';

const serverError = (code: number, codeName: string, errmsg: string) =>
  new MongoServerError({ ok: 0, code, codeName, errmsg });

describe('classifyMongoError', () => {
  it.each([
    [serverError(18, 'AuthenticationFailed', 'Authentication failed.'), ConnectorErrorCode.AuthFailed],
    [
      serverError(13, 'Unauthorized', 'not authorized on app to execute command { find: "x" }'),
      ConnectorErrorCode.PermissionDenied,
    ],
    [serverError(50, 'MaxTimeMSExpired', 'operation exceeded time limit'), ConnectorErrorCode.Timeout],
    [serverError(59, 'CommandNotFound', 'no such command'), ConnectorErrorCode.Protocol],
    [
      new MongoParseError('Invalid scheme, expected connection string to start with "mongodb://" or "mongodb+srv://"'),
      ConnectorErrorCode.InvalidConfig,
    ],
    [new MongoNetworkTimeoutError('connection 1 to 10.0.0.1:27017 timed out'), ConnectorErrorCode.Timeout],
    [new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'), ConnectorErrorCode.Unreachable],
    [new MongoNetworkError('self-signed certificate in certificate chain'), ConnectorErrorCode.Tls],
    [new Error('something else'), ConnectorErrorCode.Protocol],
  ])('%s → %s', (err, code) => {
    const classified = classifyMongoError(err);
    expect(classified).toBeInstanceOf(ConnectorError);
    expect(classified.code).toBe(code);
    expect(classified.cause).toBe(err);
  });

  it('finds an authentication failure wrapped as the cause of another error', () => {
    const wrapped = new MongoNetworkError('connection pool cleared', {
      cause: serverError(18, 'AuthenticationFailed', 'Authentication failed.'),
    });
    expect(classifyMongoError(wrapped).code).toBe(ConnectorErrorCode.AuthFailed);
  });

  it('surfaces an address-guard refusal the driver wrapped in a network error', () => {
    const refusal = new ConnectorError(ConnectorErrorCode.AddressRefused, 'Connections to 169.254.169.254 are refused');
    expect(classifyMongoError(new MongoNetworkError('connection failed', { cause: refusal }))).toBe(refusal);
  });

  it('passes ConnectorErrors through', () => {
    const already = new ConnectorError(ConnectorErrorCode.Cancelled, 'cancelled');
    expect(classifyMongoError(already)).toBe(already);
  });
});
