import type { DocumentedErrorCode } from './api-error-responses.decorator.js';

/** `@ApiErrorCodes(...codes)` on a guard, pipe or interceptor class: the codes it can answer with. */
export const API_ERROR_CODES_METADATA = Symbol.for('nestjs-api-errors.error-codes');

/**
 * Declares, once, the error codes an application's guard, pipe or interceptor can answer with. Every
 * route that uses the class (`@UseGuards()`, `@UsePipes()`, `@UseInterceptors()`, or globally) lists
 * them in the document `createApiErrorsDocument()` builds; a code no catalogue defines stops it there.
 *
 * @example
 * @Injectable() @ApiErrorCodes('auth.session.invalid')
 * export class SessionStateGuard implements CanActivate { ... }
 */
export function ApiErrorCodes(...codes: DocumentedErrorCode[]): ClassDecorator {
  return (target: object): void => {
    // own metadata only: a subclass adds to what its parent declares, it does not change the parent's
    const inherited = declaredErrorCodes(Object.getPrototypeOf(target) as object | null);
    Reflect.defineMetadata(API_ERROR_CODES_METADATA, [...new Set([...inherited, ...codes])], target);
  };
}

/** The codes a guard, pipe or interceptor (its class or an instance) declares with `@ApiErrorCodes()`. */
export function declaredErrorCodes(enhancer: unknown): string[] {
  if (enhancer === null || (typeof enhancer !== 'object' && typeof enhancer !== 'function')) {
    return [];
  }
  const type = typeof enhancer === 'function' ? enhancer : (enhancer as object).constructor;
  return (Reflect.getMetadata(API_ERROR_CODES_METADATA, type) as string[] | undefined) ?? [];
}
