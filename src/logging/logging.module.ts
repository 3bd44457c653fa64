import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { appConfig, AppConfig } from '../config/configuration';
import { assignRequestId } from '../common/http/request-id';
import { LogDestination } from './log-destination';
import { prettyTransport } from './pretty-transport';

/**
 * JSON logs, one line per request with its request id (pretty one-liners at a development terminal);
 * credentials and secrets are redacted.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY, LogDestination],
      providers: [LogDestination],
      useFactory: (cfg: AppConfig, destination: LogDestination) => {
        const options: Options = {
          level: cfg.logLevel,
          transport: prettyTransport(cfg.nodeEnv),
          genReqId: (req, res) => (req as { id?: string }).id ?? assignRequestId(req, res),
          customAttributeKeys: { reqId: 'request_id' },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              '*.password',
              '*.secret_key',
              '*.api_key',
              '*.token',
              '*.refresh_token',
              '*.access_token',
            ],
            censor: '******',
          },
          serializers: {
            req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
              remote: req.remoteAddress,
            }),
          },
          autoLogging: { ignore: (req) => req.url === '/api/v1/metrics' || req.url === '/api/v1/health' },
        };
        return {
          // Named wildcard (path-to-regexp v8, Express 5).
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          // A transport (a worker thread of its own) and a destination stream exclude each other.
          pinoHttp: options.transport || !destination.stream ? options : [options, destination.stream],
        };
      },
    }),
  ],
})
export class LoggingModule {}
