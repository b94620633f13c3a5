import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { apiErrorsFastifyOptions, createApiErrorsDocument, createValidationPipe } from 'nestjs-api-errors';
import { SampleAppModule } from './app.module.js';
import type { SampleConfig } from './config.js';
import { closeRequestSchemas, describeRequestClasses } from './openapi-requests.js';

export interface SampleAppOptions {
  /** Nest's logger option: a logger, log levels, or `false`. */
  logger?: LoggerService | LogLevel[] | false;
}

/** Where Swagger UI and the OpenAPI document are served. */
export const DOCS_PATH = 'docs';

/** Builds the sample app on the configured adapter, with the validation pipe and Swagger UI; not listening yet. */
export async function createSampleApp(config: SampleConfig, options: SampleAppOptions = {}): Promise<INestApplication> {
  const module = SampleAppModule.forRoot(config);
  const nestOptions = { rawBody: true, ...(options.logger === undefined ? {} : { logger: options.logger }) };
  let app: INestApplication;
  if (config.adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    // With apiErrorsFastifyOptions(), what Fastify's router refuses by itself gets the error envelope too.
    app = await NestFactory.create(module, new FastifyAdapter(apiErrorsFastifyOptions()), nestOptions);
  } else {
    app = await NestFactory.create(module, nestOptions);
  }
  app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  SwaggerModule.setup(DOCS_PATH, app, await openApiDocument(app), { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
  return app;
}

/** The OpenAPI document: every route with the error codes it can answer, their example bodies and the envelope schema. */
export async function openApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  // Request bodies and parameters are described from the DTOs' class-validator decorators (openapi-requests.ts).
  const requestClasses = describeRequestClasses(app);
  const config = new DocumentBuilder()
    .setTitle('nestjs-api-errors sample API')
    .setDescription(
      'Every error is `{ "status": "error", "error_code", "error_id", "messages" }`; each route lists the codes it can answer with. ' +
        'Demo credentials are printed by `npm start`.',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'session')
    .build();
  const document = await createApiErrorsDocument(app, config);
  closeRequestSchemas(document, requestClasses);
  return document;
}
