// Keys the package uses between its own parts: not part of the public API.
// One style: every key is `Symbol.for('nestjs-api-errors.<name>')`, which no other library's string key can
// clash with and which two copies of the package (a linked build beside an installed one) still share.

/** `@RequireApiKey()`: `true`. */
export const REQUIRE_API_KEY_METADATA = Symbol.for('nestjs-api-errors.require-api-key');

/** `@RequireAuthorization({ schemes })`: the schemes the route accepts, `null` for every configured one. */
export const AUTHORIZATION_SCHEMES_METADATA = Symbol.for('nestjs-api-errors.authorization-schemes');

/** `@RequireCaptcha()`: `true`. */
export const REQUIRE_CAPTCHA_METADATA = Symbol.for('nestjs-api-errors.require-captcha');

/** `@RequireDisclaimers(...ids)`: the disclaimer ids the route requires. */
export const REQUIRED_DISCLAIMERS_METADATA = Symbol.for('nestjs-api-errors.required-disclaimers');

/** `@CriticalAuth()`: `true`. */
export const REQUIRE_CRITICAL_AUTH_METADATA = Symbol.for('nestjs-api-errors.require-critical-auth');

/** `@SkipSuccessEnvelope()`: `true`, for tools that inspect routes (OpenAPI); not the response's own mark. */
export const SKIP_SUCCESS_ENVELOPE_METADATA = Symbol.for('nestjs-api-errors.skip-success-envelope-route');

/** `@ApiErrorResponses(...codes)`: the codes listed on a route or controller. */
export const API_ERROR_RESPONSES_METADATA = Symbol.for('nestjs-api-errors.error-responses');

/** Injection token: the guard instance of each access check, in the order of `ACCESS_CHECKS`. */
export const ACCESS_CHECK_GUARDS = Symbol.for('nestjs-api-errors.access-check-guards');
