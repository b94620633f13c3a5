// The public API of nestjs-api-errors (the server side): what an application writes or reads. Named
// exports only. What a client needs without NestJS is in 'nestjs-api-errors/client' (lib/client), and
// is re-exported here where a server uses it too. docs/api.md lists every export with one line.

// Module and its options
export { ApiErrorsModule } from './api-errors.module.js';
export { API_ERRORS_MODULE_OPTIONS } from './api-errors.module-definition.js';
export type {
  ApiErrorsModuleOptions,
  ApiErrorsModuleExtras,
  ClientErrorLogLevel,
} from './api-errors-options.interface.js';
export { ApiErrorsConfigurationError } from './api-errors-configuration.error.js';

// Catalogue: the built-in codes, and an application's own
export { API_ERROR_CATALOGUE, type ApiErrorCode, type SeedApiErrorCode } from './catalogue/api-error-catalogue.js';
export type { ApiErrorDefinition, ApiErrorEntry } from './catalogue/api-error-definition.interface.js';
export type { ApiErrorFieldSpec, ApiErrorFieldSpecs } from './catalogue/api-error-field.js';
export {
  defineApiErrors,
  ApiErrorCatalogue,
  type AppErrorDefinition,
  type ApiErrorBodyOf,
} from './catalogue/define-api-errors.js';
export { ApiErrorRegistry } from './catalogue/api-error-registry.js';
export { API_ERROR_CODE_PATTERN } from './catalogue/code-format.js';

// Exceptions: one class per code, and their base
export {
  ApiException,
  type ApiExceptionOptions,
  type ApiExceptionBody,
  type JsonValue,
} from './exceptions/api.exception.js';
export type { ApiExceptionClass } from './exceptions/api-exception-class.js';
export type { ApiErrorMessages, ApiErrorMessagesInput } from './exceptions/api-error-messages.js';
export type { TranslateContext, TranslateMessages } from './i18n/translate-messages.js';
export * from './exceptions/contract.exceptions.js';
export * from './exceptions/extension.exceptions.js';

// Filter (registered by the module; exported to extend through its protected steps)
export { ApiErrorsFilter } from './filter/api-errors.filter.js';
export { ApiErrorsFilterOptions } from './filter/api-errors-filter-options.js';
export type { ResolvedError } from './filter/resolved-error.interface.js';

// Fastify
export { apiErrorsFastifyOptions, type FastifyFrameworkErrorsHandler } from './adapters/fastify.js';

// Envelopes (the same as in 'nestjs-api-errors/client')
export type { ApiErrorBody, ApiErrorEnvelope, ApiSuccessBody } from './envelope/api-error-body.interface.js';
export { problemDetailsSchema } from './filter/problem-details.schema.js';
export { apiErrorBodySchema } from './envelope/api-error-body.schema.js';
export { isApiErrorBody } from './envelope/is-api-error-body.js';
export { SkipSuccessEnvelope } from './envelope/skip-success-envelope.decorator.js';

// Validation
export { createValidationPipe, ApiValidationPipe, MAX_NESTING_DEPTH } from './validation/create-validation-pipe.js';

// Guards: decorators, the body fields and request keys they use, guards, collaborators and their tokens
export {
  RequireApiKey,
  RequireAuthorization,
  RequireCaptcha,
  RequireDisclaimers,
  CriticalAuth,
  ClientApp,
  AuthPrincipal,
  type RequireAuthorizationOptions,
} from './guards/access.decorators.js';
export {
  TOKEN_FIELD,
  CAPTCHA_FIELD,
  DISCLAIMERS_FIELD,
  PASSWORD_FIELD,
  OTP_FIELD,
  DEFAULT_API_KEY_HEADER,
} from './api-errors.constants.js';
export type { Principal, PrincipalStatus, ClientApplication } from './guards/principal.interface.js';
export { requestAccess, type RequestAccess } from './guards/request-access.js';
export { ApiAccessGuard } from './guards/api-access.guard.js';
// API key
export { ApiKeyGuard } from './guards/api-key/api-key.guard.js';
export { API_KEY_VALIDATOR, type ApiKeyValidator } from './guards/api-key/api-key-validator.interface.js';
export { HashedApiKeyValidator, sha256Hex, type ApiKeyEntry } from './guards/api-key/hashed-api-key.validator.js';
// Authorization: Bearer tokens and request signatures
export { AuthorizationGuard, type PresentedCredential } from './guards/authorization/authorization.guard.js';
export type { AuthorizationScheme } from './guards/authorization/authorization-scheme.js';
export { TOKEN_VERIFIER, type TokenVerifier } from './guards/authorization/token-verifier.interface.js';
export { JwtTokenVerifier, type JwtVerifierOptions } from './guards/authorization/jwt-token.verifier.js';
export type { JwtClaims } from './guards/authorization/jwt-claims.js';
export { SIGNATURE_VERIFIER, type SignatureVerifier } from './guards/authorization/signature-verifier.interface.js';
export {
  HmacSignatureVerifier,
  type HmacSignatureOptions,
  type SigningKey,
} from './guards/authorization/hmac-signature.verifier.js';
export { signRequest, type SignedRequest, type SignatureParameters } from './client/signature.js';
// Critical-change re-authentication
export { CriticalAuthGuard } from './guards/critical-auth/critical-auth.guard.js';
export type { CriticalAuthSettings } from './options/critical-auth.options.js';
export {
  CRITICAL_AUTH_POLICY,
  PASSWORD_VERIFIER,
  OTP_SENDER,
  type CriticalAuthPolicy,
  type PasswordVerifier,
  type OtpSender,
  type OtpMessage,
  type PresentedSecrets,
} from './guards/critical-auth/critical-auth.interfaces.js';
export { InMemoryOtpSender } from './guards/critical-auth/in-memory-otp.sender.js';
// Captcha
export { CaptchaGuard } from './guards/captcha/captcha.guard.js';
export { CAPTCHA_VERIFIER, type CaptchaVerifier } from './guards/captcha/captcha-verifier.interface.js';
export {
  SiteverifyCaptchaVerifier,
  type CaptchaProvider,
  type SiteverifyCaptchaOptions,
} from './guards/captcha/siteverify-captcha.verifier.js';
// Disclaimers
export { DisclaimersGuard } from './guards/disclaimers/disclaimers.guard.js';

// Stores and attempt limits
export { API_ERRORS_STORE, type ApiErrorsStore } from './stores/api-errors-store.interface.js';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory.store.js';
export {
  RedisStore,
  type RedisStoreOptions,
  type RedisStoreClient,
  type RedisConnectionOptions,
} from './stores/redis.store.js';
export { AttemptLimiter, type AttemptLimit } from './limits/attempt-limiter.js';

// OpenAPI (needs the optional peer @nestjs/swagger, loaded when the document is built)
export { ApiErrorResponses, type DocumentedErrorCode } from './swagger/api-error-responses.decorator.js';
export { routeErrorCodes } from './swagger/route-error-codes.js';
export type { GlobalEnhancers } from './swagger/route-error-codes.js';
export { ApiErrorCodes } from './swagger/api-error-codes.decorator.js';
export type { SecuritySchemeNames, CredentialKind } from './swagger/operation-security.js';
export {
  applyApiErrorResponses,
  createApiErrorsDocument,
  apiErrorBodyOpenApiSchema,
  API_ERROR_BODY_SCHEMA_NAME,
} from './swagger/api-errors-openapi.js';
export type { OpenApiDocument, ApiErrorsDocumentOptions } from './swagger/openapi-document.js';
export type { ApiErrorEvent, ApiErrorReporter, ErrorIdSource } from './reporting/api-error-reporter.interface.js';
export { API_ERROR_REPORTER } from './reporting/api-error-reporter.token.js';
export type { ObservabilityOptions } from './reporting/observability-options.js';
