import type { INestApplicationContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, SwaggerDocumentOptions } from '@nestjs/swagger';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { BUILT_IN_ERRORS } from '../catalogue/api-error-catalogue.js';
import { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { exampleFields } from '../envelope/declared-fields.js';
import { buildErrorBodySchema, type SchemaObject } from '../envelope/error-body-schema.builder.js';
import type { ApiErrorsDocumentOptions, OpenApiDocument } from './openapi-document.js';
import { routeErrorCodes } from './route-error-codes.js';

type Swagger = typeof import('@nestjs/swagger');

/** Name of the envelope's schema under `components.schemas`. */
export const API_ERROR_BODY_SCHEMA_NAME = 'ApiErrorBody';

/**
 * The error envelope of the built-in catalogue as an OpenAPI 3.0 schema object, derived from the
 * catalogue as `apiErrorBodySchema` (the JSON Schema one) is. `createApiErrorsDocument()` builds it
 * with the application's own codes too.
 */
export const apiErrorBodyOpenApiSchema: Readonly<SchemaObject> = Object.freeze(
  buildErrorBodySchema(BUILT_IN_ERRORS.values(), 'openapi-3.0'),
);

const EXAMPLE_ERROR_ID = '3f1c9c3e-5a0b-4a53-9a53-3b1a8e0f2d11';
/** Every route can fail unexpectedly; the answer is the envelope too. */
const ALWAYS = ['server.internal.error'];

/** Handlers already given their responses (applying twice must not repeat them). */
const documented = new WeakSet<object>();

async function loadSwagger(): Promise<Swagger> {
  try {
    return await import('@nestjs/swagger');
  } catch (error) {
    throw ApiErrorsConfigurationError.create(
      `the OpenAPI helpers need "@nestjs/swagger" (${String(error)})`,
      'Install it: npm install @nestjs/swagger',
    );
  }
}

/**
 * Adds to every route of the application the error responses it can give: the codes its access
 * decorators imply, those of `@ApiErrorResponses()`, and `server.internal.error`; one response per
 * status, with the envelope's schema, the `X-Error-Id` header, and an example body per code. Call it
 * before `SwaggerModule.createDocument()`, or use `createApiErrorsDocument()`, which does both.
 */
export async function applyApiErrorResponses(app: INestApplicationContext): Promise<void> {
  const { ApiResponse } = await loadSwagger();
  const registry = registryOf(app);
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (typeof controller !== 'function') {
        continue;
      }
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        const handler = descriptor?.value as object | undefined;
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata(PATH_METADATA, handler) === undefined ||
          documented.has(handler)
        ) {
          continue;
        }
        // resolve every code first: a route with an unknown code gets nothing, and says so again next time
        const responses = responsesOf(registry, [...routeErrorCodes(controller, handler), ...ALWAYS]);
        for (const response of responses) {
          ApiResponse(response as Parameters<Swagger['ApiResponse']>[0])(
            prototype,
            name,
            descriptor as PropertyDescriptor,
          );
        }
        documented.add(handler);
      }
    }
  }
}

/**
 * `SwaggerModule.createDocument()` with the error responses of `applyApiErrorResponses()` and the
 * envelope's schema under `components.schemas.ApiErrorBody`. The document has the type of `config`
 * with `paths`: @nestjs/swagger's `OpenAPIObject` for a `DocumentBuilder`'s configuration.
 *
 * @example
 * const document = await createApiErrorsDocument(app, new DocumentBuilder().setTitle('My API').build());
 * SwaggerModule.setup('docs', app, document);
 */
export async function createApiErrorsDocument<D extends OpenApiDocument = OpenApiDocument>(
  app: INestApplicationContext,
  config: Omit<D, 'paths'>,
  options?: ApiErrorsDocumentOptions,
): Promise<D> {
  const { SwaggerModule } = await loadSwagger();
  await applyApiErrorResponses(app);
  // Our types stand for @nestjs/swagger's (see openapi-document.ts): here they are its own.
  const document = SwaggerModule.createDocument(
    app as never,
    config as unknown as Omit<OpenAPIObject, 'paths'>,
    options as SwaggerDocumentOptions | undefined,
  );
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      [API_ERROR_BODY_SCHEMA_NAME]: buildErrorBodySchema(registryOf(app).entries(), 'openapi-3.0') as never,
    },
  };
  // The document is the configuration given, with the paths and the envelope's schema added.
  return document as unknown as D;
}

function registryOf(app: INestApplicationContext): ApiErrorRegistry {
  try {
    return app.get(ApiErrorRegistry, { strict: false });
  } catch {
    return new ApiErrorRegistry();
  }
}

interface ErrorResponse {
  status: number;
  description: string;
  schema: { $ref: string };
  headers: Record<string, unknown>;
  examples: Record<string, { summary: string; value: object }>;
}

function responsesOf(registry: ApiErrorRegistry, codes: readonly string[]): ErrorResponse[] {
  const byStatus = new Map<number, ErrorResponse>();
  for (const code of codes) {
    const entry = registry.get(code);
    if (entry === undefined) {
      throw ApiErrorsConfigurationError.create(
        `@ApiErrorResponses() names "${code}", which no catalogue defines`,
        'Fix the code or register its catalogue in ApiErrorsModule',
      );
    }
    let response = byStatus.get(entry.status);
    if (response === undefined) {
      response = {
        status: entry.status,
        description: '',
        schema: { $ref: `#/components/schemas/${API_ERROR_BODY_SCHEMA_NAME}` },
        headers: { 'X-Error-Id': { description: 'The error_id of the body.', schema: { type: 'string' } } },
        examples: {},
      };
      byStatus.set(entry.status, response);
    }
    response.description += `${response.description === '' ? '' : '\n'}- \`${code}\`: ${entry.message}`;
    response.examples[code] = {
      summary: code,
      value: {
        status: 'error',
        error_code: code,
        error_id: EXAMPLE_ERROR_ID,
        messages: [entry.message],
        ...exampleFields(entry.fields),
      },
    };
  }
  return [...byStatus.values()].sort((a, b) => a.status - b.status);
}
