import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, AppConfig } from '../config/configuration';
import { assignRequestId } from '../common/http/request-id';

/** JSON logs, one line per request with its request id; credentials and secrets are redacted. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (cfg: AppConfig) => ({
        // Named wildcard (path-to-regexp v8, Express 5).
        forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        pinoHttp: {
          level: cfg.logLevel,
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
        },
      }),
    }),
  ],
})
export class LoggingModule {}
