// The public API of nestjs-api-errors: named exports only.

// Module
export { ApiErrorsModule } from './api-errors.module.js';
export { API_ERRORS_MODULE_OPTIONS } from './api-errors.module-definition.js';
export type { ApiErrorsModuleOptions, ApiErrorsModuleExtras, ClientErrorLogLevel } from './api-errors-options.interface.js';
export { ApiErrorsConfigurationError } from './api-errors-configuration.error.js';

// Catalogue
export { API_ERROR_CATALOGUE, type ApiErrorCode, type SeedApiErrorCode } from './catalogue/api-error-catalogue.js';
export type { ApiErrorDefinition, ApiErrorEntry } from './catalogue/api-error-definition.interface.js';
export { defineApiErrors, ApiErrorCatalogue, type AppErrorDefinition } from './catalogue/define-api-errors.js';
export { ApiErrorRegistry } from './catalogue/api-error-registry.js';
export { API_ERROR_CODE_PATTERN } from './catalogue/code-format.js';

// Exceptions
export { ApiException, type ApiExceptionOptions, type ApiExceptionBody, type JsonValue } from './exceptions/api.exception.js';
export type { ApiExceptionClass } from './exceptions/api-exception-class.js';
export type { ApiErrorMessages, ApiErrorMessagesInput } from './exceptions/api-error-messages.js';
export * from './exceptions/contract.exceptions.js';
export * from './exceptions/extension.exceptions.js';

// Filter
export { ApiErrorsFilter } from './filter/api-errors.filter.js';
export { resolveError, INVALID_JSON_MESSAGE } from './filter/resolve-error.js';
export type { ResolvedError } from './filter/resolved-error.interface.js';

// Envelopes and client helpers
export type { ApiErrorBody, ApiSuccessBody } from './envelope/api-error-body.interface.js';
export { apiErrorBodySchema } from './envelope/api-error-body.schema.js';
export { isApiErrorBody } from './envelope/is-api-error-body.js';
export { SkipSuccessEnvelope, SKIP_SUCCESS_ENVELOPE_METADATA } from './envelope/skip-success-envelope.decorator.js';

// Validation
export { createValidationPipe, ApiValidationPipe } from './validation/create-validation-pipe.js';
