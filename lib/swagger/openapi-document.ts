/**
 * The OpenAPI types of `createApiErrorsDocument()`, written here so that the package's types do not
 * need @nestjs/swagger (an optional peer dependency) to be installed. @nestjs/swagger's own types fit
 * them: given `new DocumentBuilder().build()` (an `Omit<OpenAPIObject, 'paths'>`), the document
 * returned is typed as its `OpenAPIObject`, ready for `SwaggerModule.setup()`.
 */

import type { SecuritySchemeNames } from './operation-security.js';

/** What is read and written of an OpenAPI document. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  /** Path → its operations, as @nestjs/swagger writes them. */
  paths: Record<string, object>;
  components?: {
    schemas?: Record<string, unknown>;
    responses?: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
}

/**
 * Options passed on to `SwaggerModule.createDocument()` (a `SwaggerDocumentOptions` fits). The common
 * ones are listed; pass others through a variable of @nestjs/swagger's own type.
 */
export interface ApiErrorsDocumentOptions {
  /** Modules whose controllers are documented (all by default). */
  include?: object[];
  /** Classes added to `components.schemas` though no route names them. */
  extraModels?: object[];
  ignoreGlobalPrefix?: boolean;
  deepScanRoutes?: boolean;
  operationIdFactory?: (controllerKey: string, methodKey: string, version?: string) => string;
  linkNameFactory?: (controllerKey: string, methodKey: string, fieldKey: string) => string;
  autoTagControllers?: boolean;
  /**
   * Read here, not passed on: the names of the security schemes that stand for the API key, Bearer tokens
   * and request signatures. By default, a matching scheme of the configuration (an `apiKey` in the API
   * key's header; `http` `bearer`; an `apiKey` in `Authorization`), else `api-key`, `bearer`, `signature`,
   * added to `components.securitySchemes`.
   */
  securitySchemeNames?: SecuritySchemeNames;
}
