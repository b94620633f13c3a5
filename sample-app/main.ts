import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createValidationPipe } from 'nestjs-api-errors';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const url = `http://${host}:${port}`;
  console.log(`nestjs-api-errors sample app listening on ${url}`);
  console.log(`  curl ${url}/notes/1          # success envelope`);
  console.log(`  curl ${url}/notes/99         # 404 object.id.notfound`);
  console.log(`  curl -X POST ${url}/notes -H 'content-type: application/json' -d '{"text":""}'   # 422 request.validation.failed`);
}

void bootstrap();
