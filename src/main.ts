import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { appConfig, AppConfig } from './config/configuration';
import { validateEnv } from './config/env.schema';
import { configureApp } from './app.setup';
import { connectGrpc, grpcUrl } from './grpc/grpc-server';

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
  await connectGrpc(app, grpcUrl(cfg.host, cfg.grpcPort));
  await app.listen(cfg.port, cfg.host);
  const startup = `${Math.round(process.uptime() * 1000)} ms`;
  process.stdout.write(
    `Metadata service listening on http://${cfg.host}:${cfg.port}/api/v1 (docs: /api/docs) and gRPC ${grpcUrl(cfg.host, cfg.grpcPort)}, ready in ${startup}\n`,
  );
}

void bootstrap();
