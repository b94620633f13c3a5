import type { INestApplicationContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, SwaggerDocumentOptions } from '@nestjs/swagger';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { routeErrorCodes } from './route-error-codes.js';

type Swagger = typeof import('@nestjs/swagger');

/** Name of the envelope's schema under `components.schemas`. */
export const API_ERROR_BODY_SCHEMA_NAME = 'ApiErrorBody';

/** The error envelope as an OpenAPI 3.0 schema object (`apiErrorBodySchema` is the JSON Schema one). */
export const apiErrorBodyOpenApiSchema = {
  type: 'object',
  description: 'The body of every error response.',
  required: ['status', 'error_code', 'error_id', 'messages'],
  properties: {
    status: { type: 'string', enum: ['error'] },
    error_code: { type: 'string', description: 'A dotted code of the catalogue, e.g. auth.apikey.missing.' },
    error_id: {
      type: 'string',
      description: 'Unique id of this error response, also in the X-Error-Id header and the server log.',
    },
    messages: {
      description: 'Messages: a list, or lists keyed by the request field they are about.',
      oneOf: [
        { type: 'array', minItems: 1, items: { type: 'string' } },
        { type: 'object', additionalProperties: { type: 'array', minItems: 1, items: { type: 'string' } } },
      ],
    },
    critical_auth_method: {
      type: 'string',
      enum: ['password', 'otp'],
      description: 'With critical.auth.required: how to re-authenticate.',
    },
    retry_after: {
      type: 'integer',
      minimum: 0,
      description: 'With request.rate.exceeded: seconds to wait (also in Retry-After).',
    },
  },
} as const;

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
 * envelope's schema under `components.schemas.ApiErrorBody`.
 *
 * @example
 * const document = await createApiErrorsDocument(app, new DocumentBuilder().setTitle('My API').build());
 * SwaggerModule.setup('docs', app, document);
 */
export async function createApiErrorsDocument(
  app: INestApplicationContext,
  config: Omit<OpenAPIObject, 'paths'>,
  options?: SwaggerDocumentOptions,
): Promise<OpenAPIObject> {
  const { SwaggerModule } = await loadSwagger();
  await applyApiErrorResponses(app);
  const document = SwaggerModule.createDocument(app as never, config, options);
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      [API_ERROR_BODY_SCHEMA_NAME]: structuredClone(apiErrorBodyOpenApiSchema) as never,
    },
  };
  return document;
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
    const extra =
      code === 'critical.auth.required'
        ? { critical_auth_method: 'otp' }
        : code === 'request.rate.exceeded'
          ? { retry_after: 30 }
          : {};
    response.examples[code] = {
      summary: code,
      value: { status: 'error', error_code: code, error_id: EXAMPLE_ERROR_ID, messages: [entry.message], ...extra },
    };
  }
  return [...byStatus.values()].sort((a, b) => a.status - b.status);
}
