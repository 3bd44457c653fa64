/**
 * The baseline HTTP server: a bare NestJS 11 app on Express whose one handler answers
 * `GET /bare/:route` with the body the service gave for that route, byte for byte. It has no
 * guards, interceptors, logging or store, so the difference to the service is what they cost.
 *
 *   PORT=… BODIES=file.json node -r ts-node/register/transpile-only bench/api/bare-http.ts
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const bodies = JSON.parse(readFileSync(process.env.BODIES!, 'utf8')) as Record<string, string>;

@Controller('bare')
class BareController {
  @Get(':route')
  @Header('Content-Type', 'application/json; charset=utf-8')
  answer(@Param('route') route: string): string {
    const body = bodies[route];
    if (body === undefined) throw new NotFoundException();
    return body;
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
