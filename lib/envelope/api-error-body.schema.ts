import { BUILT_IN_ERRORS } from '../catalogue/api-error-catalogue.js';
import { buildErrorBodySchema, type SchemaObject } from './error-body-schema.builder.js';

/**
 * JSON Schema (draft-07) of the error envelope: validate responses with it in API clients and tests.
 * Derived from the catalogue: `error_code` is checked for its form (an application's codes pass
 * too), and each declared field (`critical_auth_method`, `retry_after`) for its type, its presence
 * where required and its absence from the codes that do not declare it.
 */
export const apiErrorBodySchema: Readonly<SchemaObject> = Object.freeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/nestjs-api-errors/nestjs-api-errors/schemas/api-error-body.json',
  title: 'ApiErrorBody',
  ...buildErrorBodySchema(BUILT_IN_ERRORS.values(), 'json-schema'),
});
