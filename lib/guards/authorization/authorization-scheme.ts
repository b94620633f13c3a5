import type { ApiErrorCode } from '../../catalogue/api-error-catalogue.js';

/** Authorization schemes the guard knows. */
export type AuthorizationScheme = 'bearer' | 'signature';

/** Every scheme, in the order of their `WWW-Authenticate` challenges. */
export const AUTHORIZATION_SCHEMES: readonly AuthorizationScheme[] = ['bearer', 'signature'];

/**
 * The codes `AuthorizationGuard` can answer with on a route that accepts `schemes` (`null` or
 * `undefined`: every scheme): the header's, each accepted scheme's, then the principal's status.
 */
export function authorizationErrorCodes(schemes: readonly AuthorizationScheme[] | null | undefined): ApiErrorCode[] {
  const accepts = (scheme: AuthorizationScheme): boolean => !schemes || schemes.includes(scheme);
  return [
    'auth.header.missing',
    'auth.header.invalid',
    ...(accepts('bearer') ? (['auth.token.expired', 'auth.token.invalid'] as const) : []),
    // A signed body Nest keeps no raw bytes of (text, multipart) is refused before any crypto.
    ...(accepts('signature')
      ? (['auth.signature.invalid', 'auth.signature.expired', 'request.mediatype.unsupported'] as const)
      : []),
    'auth.user.restricted',
    'auth.user.closed',
    'auth.user.denied',
  ];
}
