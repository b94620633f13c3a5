import { accessErrorCodes } from '../guards/access-checks.js';
import { API_ERROR_RESPONSES_METADATA } from '../internal.constants.js';

type Target = object;

/**
 * The error codes a route can answer with: those its access decorators imply (`@RequireApiKey()`,
 * `@RequireAuthorization()`, `@RequireCaptcha()`, `@RequireDisclaimers()`, `@CriticalAuth()`), read from
 * the same table of access checks `ApiAccessGuard` runs, then those listed with `@ApiErrorResponses()`
 * on the handler and its controller, in that order, without repeats.
 */
export function routeErrorCodes(controller: Target, handler: Target): string[] {
  // the first of handler, controller that has the key, as the guard reads it
  const read = (key: symbol): unknown => {
    const onHandler: unknown = Reflect.getMetadata(key, handler);
    return onHandler !== undefined ? onHandler : Reflect.getMetadata(key, controller);
  };
  const listed = [
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, handler) as string[] | undefined) ?? []),
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, controller) as string[] | undefined) ?? []),
  ];
  return [...new Set([...accessErrorCodes(read), ...listed])];
}
