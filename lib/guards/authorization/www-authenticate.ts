import type { ApiException } from '../../exceptions/api.exception.js';
import type { AuthorizationScheme } from './authorization-scheme.js';

/** RFC 6750 §3: the challenge of a 401, with `error="invalid_token"` when a token was presented. */
export function withChallenge(error: ApiException, schemes: readonly AuthorizationScheme[]): ApiException {
  const tokenError =
    error.code === 'auth.token.expired' || error.code === 'auth.token.invalid'
      ? `, error="invalid_token", error_description="${error.code === 'auth.token.expired' ? 'The access token expired' : 'The access token is invalid'}"`
      : error.code === 'auth.header.invalid'
        ? ', error="invalid_request"'
        : '';
  const challenges = schemes.map(scheme =>
    scheme === 'bearer' ? `Bearer realm="api"${tokenError}` : 'Signature realm="api"',
  );
  error.headers['WWW-Authenticate'] = challenges.join(', ');
  return error;
}
