import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig, appConfig } from './config/configuration';
import { DomainException } from './common/errors/domain.exception';
import { ErrorReason } from './common/errors/error-reason';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { assignRequestId } from './common/http/request-id';
import { rejectDeepJson } from './common/http/json-depth';
import { noStore, proxyInFront, securityHeaders } from './common/http/security-headers';
import { serveConsole } from './console/serve-console';

export const API_PREFIX = 'api/v1';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map(
      (m) => `${path}: ${m.replace(/^property (\S+) should not exist$/, 'is not a known field')}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/** Global pipes, filters, body limits, docs: shared by main.ts and the e2e tests so both run the same app. */
export function configureApp(app: NestExpressApplication): void {
  const cfg = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(PinoLogger));
  // False, a hop count or proxy addresses (never true): req.ip, and with it clientAddressOf, cannot be picked by the client.
  app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  // First of all, so even errors raised while parsing the body carry the request id.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = assignRequestId(req, res);
    next();
  });
  app.use(securityHeaders({ behindProxy: proxyInFront(cfg.trustProxy) }));
  app.use(`/${API_PREFIX}`, noStore);
  // The web console at `/` (deep links answered by its index.html); the API paths pass through.
  serveConsole(app);
  // application/merge-patch+json too: annotation PATCHes are RFC 7396 merge patches.
  app.useBodyParser('json', {
    limit: cfg.bodyLimit,
    verify: rejectDeepJson(),
    type: ['application/json', 'application/merge-patch+json'],
  });
  app.useBodyParser('urlencoded', { limit: cfg.bodyLimit, extended: false });
  app.useBodyParser('text', {
    limit: cfg.bodyLimit,
    type: ['text/plain', 'application/yaml', 'application/x-yaml', 'text/yaml'],
  });
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) =>
        new DomainException(ErrorReason.ValidationFailed, 'Validation failed', flatten(errors).join('; ')),
    }),
  );
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  setupSwagger(app);
}

function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Metadata Service API')
    .setDescription(
      'Data sources, collection tasks, templates and the metadata catalog. Every error is `{code, message, details, request_id}`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
