import { HttpConnection } from '@elastic/elasticsearch';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';

type Request = HttpConnection['request'];
type RequestArgs = [Parameters<Request>[0], Parameters<Request>[1]];

/**
 * The client's http connection, with a redirect answered as a failure: the client would hand a
 * 3xx back as if it were the answer, and must neither follow it nor take it for one.
 */
export class NoRedirectHttpConnection extends HttpConnection {}

const request = HttpConnection.prototype.request as (...args: RequestArgs) => ReturnType<Request>;

NoRedirectHttpConnection.prototype.request = async function (this: HttpConnection, ...args: RequestArgs) {
  const response = await request.apply(this, args);
  if (response.statusCode >= 300 && response.statusCode < 400) {
    throw new ConnectorError(
      ConnectorErrorCode.Protocol,
      `The node answered ${response.statusCode} (a redirect) for ${args[0].path}; redirects are not followed`,
      'Give node URLs that Elasticsearch answers on directly, with the scheme and port it listens on.',
    );
  }
  return response;
} as Request;
