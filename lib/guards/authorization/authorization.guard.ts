import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AuthHeaderInvalidException,
  AuthHeaderMissingException,
  TokenInvalidException,
  UserClosedException,
  UserDeniedException,
  UserRestrictedException,
} from '../../exceptions/contract.exceptions.js';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import { ApiException } from '../../exceptions/api.exception.js';
import { MediaTypeUnsupportedException } from '../../exceptions/extension.exceptions.js';
import { callDependency, isPromiseLike } from '../dependency-call.js';
import {
  bodyField,
  hasBody,
  headerCount,
  httpRequest,
  mediaType,
  pathAndQuery,
  removeBodyField,
  type GuardRequest,
} from '../guard-request.js';
import { PRINCIPAL_KEY, type Principal } from '../principal.interface.js';
import { AUTHORIZATION_SCHEMES_METADATA, TOKEN_FIELD, type AuthorizationScheme } from './authorization.constants.js';
import { SIGNATURE_VERIFIER, type SignatureVerifier } from './signature-verifier.interface.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.interface.js';

/** `Bearer <b64token>` (RFC 6750) or `Signature <params>`, scheme case-insensitive. */
const AUTHORIZATION = /^([A-Za-z]+) +(\S(?:.*\S)?)$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

const ALL_SCHEMES: readonly AuthorizationScheme[] = ['bearer', 'signature'];

/** The media types whose raw bytes Nest keeps with `rawBody: true` (its JSON and urlencoded parsers). */
const RAW_BODY_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/x-www-form-urlencoded']);

/**
 * Requires `Authorization: Bearer <token>` or `Authorization: Signature <signature>` (or a `token` body
 * field where there is no header), then checks the principal's status.
 *
 * - no header and no `token` field → 401 `auth.header.missing`;
 * - not of either form, an empty token, an unknown scheme, a scheme the route does not accept, two
 *   `Authorization` headers, or a header and a `token` field together → 401 `auth.header.invalid`;
 * - a `Signature` request with a body whose raw bytes Nest does not keep (anything but JSON and
 *   urlencoded: `text/plain`, `multipart/form-data`, …) → 415 `request.mediatype.unsupported`, before
 *   the verifier runs and without an error log line: the signature cannot be checked, and the client can
 *   fix it by sending JSON or a form (a JSON or form body without raw bytes means the application was not
 *   created with `rawBody: true`: 500, logged with that advice);
 * - the token or signature itself → the verifier's `auth.token.*` / `auth.signature.*` answer;
 * - a principal `restricted`, `closed` or `denied` → 403 `auth.user.restricted` / `.closed` / `.denied`.
 *
 * 401 answers carry `WWW-Authenticate` as RFC 6750 describes. The principal is then available to
 * handlers through `@AuthPrincipal()`.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    @Optional() @Inject(TOKEN_VERIFIER) protected readonly tokenVerifier?: TokenVerifier,
    @Optional() @Inject(SIGNATURE_VERIFIER) protected readonly signatureVerifier?: SignatureVerifier,
  ) {}

  /** Synchronous when the verifier answers at once (a cached JWT): no promise on the hot path. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    const schemes =
      this.reflector.getAllAndOverride<readonly AuthorizationScheme[] | undefined>(AUTHORIZATION_SCHEMES_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? this.availableSchemes();
    const refuse = (error: unknown): never => {
      throw error instanceof ApiException && error.getStatus() === 401 ? withChallenge(error, schemes) : error;
    };
    const accept = (principal: Principal): boolean => {
      this.checkStatus(principal);
      request[PRINCIPAL_KEY] = principal;
      return true;
    };
    try {
      const principal = this.authenticate(request, schemes);
      return isPromiseLike(principal) ? principal.then(accept, refuse) : accept(principal);
    } catch (error) {
      return refuse(error);
    }
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** Refuses principals whose profile may not use the API. Override to check more. */
  protected checkStatus(principal: Principal): void {
    switch (principal.status) {
      case 'restricted':
        throw new UserRestrictedException();
      case 'closed':
        throw new UserClosedException();
      case 'denied':
        throw new UserDeniedException();
    }
  }

  private availableSchemes(): readonly AuthorizationScheme[] {
    return ALL_SCHEMES.filter(
      scheme => (scheme === 'bearer' ? this.tokenVerifier : this.signatureVerifier) !== undefined,
    );
  }

  private authenticate(request: GuardRequest, schemes: readonly AuthorizationScheme[]): Principal | Promise<Principal> {
    const headers = headerCount(request, 'authorization');
    const header = request.headers.authorization;
    const tokenField = bodyField(request, TOKEN_FIELD);
    removeBodyField(request, TOKEN_FIELD);
    if (headers > 1 || (headers === 1 && tokenField !== undefined)) {
      throw new AuthHeaderInvalidException();
    }
    if (header === undefined || header.trim() === '') {
      if (tokenField === undefined || tokenField === '') {
        throw new AuthHeaderMissingException();
      }
      if (!schemes.includes('bearer') || typeof tokenField !== 'string' || !B64TOKEN.test(tokenField)) {
        throw typeof tokenField === 'string' && schemes.includes('bearer')
          ? new TokenInvalidException()
          : new AuthHeaderInvalidException();
      }
      return this.verifyToken(tokenField);
    }
    const match = AUTHORIZATION.exec(header);
    const scheme = match?.[1]?.toLowerCase();
    const value = match?.[2] as string;
    if (scheme === 'bearer' && schemes.includes('bearer') && B64TOKEN.test(value)) {
      return this.verifyToken(value);
    }
    if (scheme === 'signature' && schemes.includes('signature')) {
      return this.verifySignature(value, request);
    }
    throw new AuthHeaderInvalidException();
  }

  private verifyToken(token: string): Principal | Promise<Principal> {
    const verifier = this.tokenVerifier;
    if (verifier === undefined) {
      throw new AuthHeaderInvalidException();
    }
    return callDependency(() => verifier.verifyCached?.(token) ?? verifier.verify(token));
  }

  private verifySignature(value: string, request: GuardRequest): Principal | Promise<Principal> {
    const verifier = this.signatureVerifier;
    if (verifier === undefined) {
      throw new AuthHeaderInvalidException();
    }
    if (request.rawBody === undefined && hasBody(request)) {
      if (!RAW_BODY_MEDIA_TYPES.has(mediaType(request))) {
        // Nest keeps no raw bytes of such a body (text, multipart, …), even with rawBody: true: the
        // signature cannot be checked, so the media type is refused before any crypto, and not logged
        // as a server fault (anyone could fill the error log with such requests).
        throw new MediaTypeUnsupportedException();
      }
      // A JSON or form body without its raw bytes: the application was not created with rawBody: true.
      // Say so, rather than refuse every client with auth.signature.invalid.
      throw ApiErrorsConfigurationError.create(
        'a signed request has a body but the raw body is not available',
        'Create the application with NestFactory.create(AppModule, { rawBody: true })',
      );
    }
    const { path, query } = pathAndQuery(request);
    const body = request.rawBody ?? Buffer.alloc(0);
    return callDependency(() => verifier.verify(value, { method: request.method, path, query, body }));
  }
}

/** RFC 6750 §3: the challenge of a 401, with `error="invalid_token"` when a token was presented. */
function withChallenge(error: ApiException, schemes: readonly AuthorizationScheme[]): ApiException {
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
