import { ConnectorErrorCode } from '../core/errors';
import { classifyClickHouseError } from './errors';

describe('ClickHouse error classification', () => {
  const cases: Array<[string, unknown, ConnectorErrorCode]> = [
    [
      '18.x wrong password',
      new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user x, e.what() = DB::Exception'),
      ConnectorErrorCode.AuthFailed,
    ],
    [
      '18.x unknown user',
      new Error('Code: 192, e.displayText() = DB::Exception: Unknown user x'),
      ConnectorErrorCode.AuthFailed,
    ],
    [
      'new AUTHENTICATION_FAILED',
      Object.assign(new Error('x: Authentication failed: password is incorrect'), {
        code: '516',
        type: 'AUTHENTICATION_FAILED',
      }),
      ConnectorErrorCode.AuthFailed,
    ],
    [
      'new ACCESS_DENIED',
      Object.assign(new Error('Not enough privileges'), { code: '497', type: 'ACCESS_DENIED' }),
      ConnectorErrorCode.PermissionDenied,
    ],
    [
      'database access denied',
      new Error('Code: 291, e.displayText() = DB::Exception: Access denied to database t1'),
      ConnectorErrorCode.PermissionDenied,
    ],
    [
      'unknown database',
      new Error("Code: 81. DB::Exception: Database x doesn't exist. (UNKNOWN_DATABASE)"),
      ConnectorErrorCode.InvalidConfig,
    ],
    [
      'timeout exceeded',
      new Error('Code: 159. DB::Exception: Timeout exceeded. (TIMEOUT_EXCEEDED)'),
      ConnectorErrorCode.Timeout,
    ],
    ['syntax error', new Error('Code: 62. DB::Exception: Syntax error'), ConnectorErrorCode.Protocol],
    [
      'refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      ConnectorErrorCode.Unreachable,
    ],
    ['client timeout', new Error('Timeout error.'), ConnectorErrorCode.Timeout],
    [
      'tls',
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      ConnectorErrorCode.Tls,
    ],
    [
      'aborted',
      Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' }),
      ConnectorErrorCode.Cancelled,
    ],
  ];
  it.each(cases)('%s', (_label, err, code) => {
    expect(classifyClickHouseError(err).code).toBe(code);
  });

  it('drops the e.what() tail of 18.x messages', () => {
    expect(
      classifyClickHouseError(
        new Error('Code: 193, e.displayText() = DB::Exception: Wrong password for user x, e.what() = DB::Exception'),
      ).message,
    ).toBe('Code: 193, e.displayText() = DB::Exception: Wrong password for user x');
  });
});
