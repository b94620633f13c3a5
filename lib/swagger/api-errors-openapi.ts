import type { INestApplicationContext } from '@nestjs/common';
import type { OpenAPIObject, SwaggerDocumentOptions } from '@nestjs/swagger';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { API_ERRORS_MODULE_OPTIONS } from '../api-errors.module-definition.js';
import { BUILT_IN_ERRORS } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { buildErrorBodySchema, type SchemaObject } from '../envelope/error-body-schema.builder.js';
import { SKIP_SUCCESS_ENVELOPE_METADATA } from '../internal.constants.js';
import { applicationRoutes, type ApplicationRoute } from './application-routes.js';
import { BODY_ERROR_CODES, byStatus, errorResponse, MESSAGES_SCHEMA, SHARED_ERROR_CODES } from './error-responses.js';
import type { ApiErrorsDocumentOptions, OpenApiDocument } from './openapi-document.js';
import { documentGuardBodyFields } from './guard-body-fields.js';
import { addProblemMediaType, problemDetailsOn, statusOfKey } from './problem-details-responses.js';
import { buildProblemDetailsSchema } from '../filter/problem-details.schema.js';
import { routeSecurity } from './operation-security.js';
import { routeMarks } from './route-marks.js';
import { documentSuccess } from './success-responses.js';

type Swagger = typeof import('@nestjs/swagger');

/** Name of the envelope's schema under `components.schemas`. */
export const API_ERROR_BODY_SCHEMA_NAME = 'ApiErrorBody';
/** Name of the problem details body's schema, with the `problemDetails` option. */
const PROBLEM_DETAILS_SCHEMA_NAME = 'ApiProblemDetails';
/** Name of the schema of `messages`, which every error response of the document refers to. */
const MESSAGES_SCHEMA_NAME = 'ApiErrorMessages';
const MESSAGES_REF = { $ref: `#/components/schemas/${MESSAGES_SCHEMA_NAME}` };

/**
 * The error envelope of the built-in catalogue as an OpenAPI 3.0 schema object, derived from the
 * catalogue as `apiErrorBodySchema` (the JSON Schema one) is. `createApiErrorsDocument()` builds it
 * with the application's own codes too.
 */
export const apiErrorBodyOpenApiSchema: Readonly<SchemaObject> = Object.freeze(
  buildErrorBodySchema(BUILT_IN_ERRORS.values(), 'openapi-3.0'),
);

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
 * Adds to every route of the application, as `@ApiResponse()` metadata, the error responses it can
 * give (see `routeErrorCodes()`) and `server.internal.error`: one response per status, whose schema's
 * `error_code` lists exactly its codes, with the `X-Error-Id` header and an example body per code. For
 * a document you build yourself; `createApiErrorsDocument()` does more (success bodies, security).
 */
export async function applyApiErrorResponses(app: INestApplicationContext): Promise<void> {
  const { ApiResponse } = await loadSwagger();
  const registry = registryOf(app);
  // resolve every route first: one with an unknown code stops all, and says so again next time
  for (const route of applicationRoutes(app, registry).filter(({ handler }) => !documented.has(handler))) {
    for (const [status, group] of byStatus(
      unique([...route.entries, ...ALWAYS.map(code => entryOf(registry, code))]),
    )) {
      const { description, headers, content } = errorResponse(group);
      const { schema, examples } = content['application/json'];
      const options = { status, description, headers, schema, examples };
      ApiResponse(options as Parameters<Swagger['ApiResponse']>[0])(
        route.controller.prototype as object,
        route.name,
        route.descriptor,
      );
    }
    documented.add(route.handler);
  }
}

/**
 * `SwaggerModule.createDocument()`, then for each operation: its error responses (exact codes per
 * status, the shared ones referenced from `components.responses`), its success answers inside the
 * success envelope, and its `security` from its access decorators. The document has the type of
 * `config` with `paths`: @nestjs/swagger's `OpenAPIObject` for a `DocumentBuilder`'s configuration.
 *
 * @example
 * const document = await createApiErrorsDocument(app, new DocumentBuilder().setTitle('My API').build());
 * SwaggerModule.setup('docs', app, document);
 */
export async function createApiErrorsDocument<D extends OpenApiDocument = OpenApiDocument>(
  app: INestApplicationContext,
  config: Omit<D, 'paths'>,
  options: ApiErrorsDocumentOptions = {},
): Promise<D> {
  const { SwaggerModule } = await loadSwagger();
  const registry = registryOf(app);
  const routes = applicationRoutes(app, registry);
  const { securitySchemeNames, ...swaggerOptions } = options;
  const marks = routeMarks(routes, swaggerOptions);
  // Our types stand for @nestjs/swagger's (see openapi-document.ts): here they are its own.
  const document = marks.build(() =>
    SwaggerModule.createDocument(
      app as never,
      config as unknown as Omit<OpenAPIObject, 'paths'>,
      marks.options as SwaggerDocumentOptions,
    ),
  );
  // copies: the configuration given may share its components with the document, and stays as it was
  const components = { ...document.components } as Record<string, Record<string, unknown>>;
  document.components = components;
  const schemas = (components.schemas = { ...components.schemas });
  const securitySchemes = { ...components.securitySchemes };
  const apiKeyHeader = apiKeyHeaderOf(app);
  const problemDetails = problemDetailsOn(app);
  for (const [operation, index] of marks.markedOperations(document)) {
    const route = routes[index] as ApplicationRoute;
    const responses = (operation.responses ??= {}) as Record<string, object>;
    documentGuardBodyFields(operation, route.read, schemas);
    documentErrors(responses, route, registry, operation.requestBody !== undefined);
    if (problemDetails) {
      addProblemMediaType(responses, statusOfKey);
    }
    if (route.read(SKIP_SUCCESS_ENVELOPE_METADATA) !== true) {
      documentSuccess(responses, route.successStatus, schemas);
    }
    if (operation.security === undefined) {
      const security = routeSecurity(route.read, securitySchemes, securitySchemeNames, apiKeyHeader);
      if (security !== undefined) {
        operation.security = security;
      }
    }
  }
  schemas[API_ERROR_BODY_SCHEMA_NAME] = buildErrorBodySchema(registry.entries(), 'openapi-3.0');
  schemas[MESSAGES_SCHEMA_NAME] = MESSAGES_SCHEMA;
  components.responses = {
    ...components.responses,
    ...Object.fromEntries(
      SHARED_ERROR_CODES.map(code => [code, errorResponse([entryOf(registry, code)], MESSAGES_REF)]),
    ),
  };
  if (problemDetails) {
    addProblemMediaType(components.responses as Record<string, unknown>, code => registry.get(code)?.status);
    schemas[PROBLEM_DETAILS_SCHEMA_NAME] = buildProblemDetailsSchema(registry.entries(), 'openapi-3.0');
  }
  if (Object.keys(securitySchemes).length > 0) {
    components.securitySchemes = securitySchemes;
  }
  // The document is the configuration given, with the paths and the components added.
  return document as unknown as D;
}

/** One response per status; a status whose only code is a shared one refers to its shared response. */
function documentErrors(
  responses: Record<string, object>,
  route: ApplicationRoute,
  registry: ApiErrorRegistry,
  hasBody: boolean,
): void {
  const shared = [...ALWAYS, ...(hasBody ? BODY_ERROR_CODES : [])].map(code => entryOf(registry, code));
  for (const [status, group] of byStatus(unique([...route.entries, ...shared]))) {
    const only = group.length === 1 ? (group[0]?.code as string) : undefined;
    responses[String(status)] =
      only !== undefined && (SHARED_ERROR_CODES as readonly string[]).includes(only)
        ? { $ref: `#/components/responses/${only}` }
        : errorResponse(group, MESSAGES_REF);
  }
}

/** A built-in code's entry: every registry has them. */
function entryOf(registry: ApiErrorRegistry, code: string): ApiErrorEntry {
  return registry.get(code) ?? (BUILT_IN_ERRORS.get(code) as ApiErrorEntry);
}

function unique<T extends { code: string }>(entries: readonly T[]): T[] {
  return [...new Map(entries.map(entry => [entry.code, entry])).values()];
}

function apiKeyHeaderOf(app: INestApplicationContext): string | undefined {
  try {
    const options = app.get<{ apiKey?: { header?: string } }>(API_ERRORS_MODULE_OPTIONS, { strict: false });
    return options.apiKey?.header;
  } catch {
    return undefined;
  }
}

function registryOf(app: INestApplicationContext): ApiErrorRegistry {
  try {
    return app.get(ApiErrorRegistry, { strict: false });
  } catch {
    return new ApiErrorRegistry();
  }
}
