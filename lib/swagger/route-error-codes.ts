import {
  REQUIRE_API_KEY_METADATA,
  REQUIRE_CAPTCHA_METADATA,
  REQUIRE_CRITICAL_AUTH_METADATA,
} from '../guards/api-access.guard.js';
import {
  AUTHORIZATION_SCHEMES_METADATA,
  type AuthorizationScheme,
} from '../guards/authorization/authorization.constants.js';
import { REQUIRED_DISCLAIMERS_METADATA } from '../guards/disclaimers/disclaimers.guard.js';
import { API_ERROR_RESPONSES_METADATA } from './api-error-responses.decorator.js';

type Target = object;

/** The first of handler, controller that has the metadata (the guards read it the same way). */
function metadata<T>(key: string, handler: Target, controller: Target): T | undefined {
  const onHandler = Reflect.getMetadata(key, handler) as T | undefined;
  return onHandler !== undefined ? onHandler : (Reflect.getMetadata(key, controller) as T | undefined);
}

/**
 * The error codes a route can answer with: those its access decorators imply (`@RequireApiKey()`,
 * `@RequireAuthorization()`, `@RequireCaptcha()`, `@RequireDisclaimers()`, `@CriticalAuth()`) and those
 * listed with `@ApiErrorResponses()` on the handler and its controller, in that order, without repeats.
 */
export function routeErrorCodes(controller: Target, handler: Target): string[] {
  const codes: string[] = [];
  if (metadata(REQUIRE_API_KEY_METADATA, handler, controller) !== undefined) {
    codes.push('auth.apikey.missing', 'auth.apikey.invalid');
  }
  const criticalAuth = metadata(REQUIRE_CRITICAL_AUTH_METADATA, handler, controller) !== undefined;
  const schemes = metadata<readonly AuthorizationScheme[] | null>(AUTHORIZATION_SCHEMES_METADATA, handler, controller);
  if (schemes !== undefined || criticalAuth) {
    codes.push('auth.header.missing', 'auth.header.invalid');
    if (!schemes || schemes.includes('bearer')) {
      codes.push('auth.token.expired', 'auth.token.invalid');
    }
    if (!schemes || schemes.includes('signature')) {
      codes.push('auth.signature.invalid', 'auth.signature.expired');
    }
    codes.push('auth.user.restricted', 'auth.user.closed', 'auth.user.denied');
  }
  if (metadata(REQUIRE_CAPTCHA_METADATA, handler, controller) !== undefined) {
    codes.push('auth.captcha.missing', 'auth.captcha.invalid');
  }
  if (metadata(REQUIRED_DISCLAIMERS_METADATA, handler, controller) !== undefined) {
    codes.push('auth.disclaimer.invalid');
  }
  if (criticalAuth) {
    codes.push('critical.auth.required', 'auth.password.invalid', 'auth.otp.invalid', 'request.rate.exceeded');
  }
  if (codes.length > 0) {
    // every guard fails closed when what it depends on (a key store, a captcha provider) cannot answer
    codes.push('server.unavailable');
  }
  const listed = [
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, handler) as string[] | undefined) ?? []),
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, controller) as string[] | undefined) ?? []),
  ];
  return [...new Set([...codes, ...listed])];
}
