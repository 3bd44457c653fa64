import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { appConfig, AppConfig } from './config/configuration';
import { validateEnv } from './config/env.schema';
import { configureApp } from './app.setup';

async function bootstrap(): Promise<void> {
  try {
    validateEnv(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  configureApp(app);
  const cfg = app.get<AppConfig>(appConfig.KEY);
  await app.listen(cfg.port, cfg.host);
  app.getHttpServer();
  process.stdout.write(`Metadata service listening on http://${cfg.host}:${cfg.port}/api/v1 (docs: /api/docs)\n`);
}

void bootstrap();
