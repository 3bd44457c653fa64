import { errors } from '@elastic/elasticsearch';
import { ConnectorErrorCode } from '../core/errors';
import { classifyEsError } from './errors';

describe('classifyEsError', () => {
  const response = (statusCode: number, body: unknown) =>
    new errors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });

  it.each([
    [
      response(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [x]' }, status: 401 }),
      ConnectorErrorCode.AuthFailed,
    ],
    [
      response(403, {
        error: { type: 'security_exception', reason: 'action [indices:admin/mappings/get] is unauthorized' },
        status: 403,
      }),
      ConnectorErrorCode.PermissionDenied,
    ],
    [response(504, { error: 'gateway timeout' }), ConnectorErrorCode.Timeout],
    [response(500, { error: { type: 'illegal_state_exception', reason: 'boom' } }), ConnectorErrorCode.Protocol],
    [new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), ConnectorErrorCode.Unreachable],
    [new errors.ConnectionError('self-signed certificate in certificate chain'), ConnectorErrorCode.Tls],
    [new errors.TimeoutError('Request timed out'), ConnectorErrorCode.Timeout],
    [new errors.RequestAbortedError('Request aborted'), ConnectorErrorCode.Cancelled],
    [
      new errors.ProductNotSupportedError('Elasticsearch', {
        body: {},
        statusCode: 200,
        headers: {},
        warnings: null,
        meta: {} as never,
      }),
      ConnectorErrorCode.Protocol,
    ],
  ])('%s → %s', (err, code) => {
    expect(classifyEsError(err).code).toBe(code);
  });

  it("quotes the server's reason", () => {
    expect(
      classifyEsError(response(403, { error: { type: 'security_exception', reason: 'no privilege' } })).message,
    ).toBe('Not allowed (HTTP 403): security_exception: no privilege');
  });
});
