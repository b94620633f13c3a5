import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TOKEN_FIELD } from '../../api-errors.constants.js';
import {
  AuthHeaderInvalidException,
  AuthHeaderMissingException,
  TokenInvalidException,
  UserClosedException,
  UserDeniedException,
  UserRestrictedException,
} from '../../exceptions/contract.exceptions.js';
import { ApiException } from '../../exceptions/api.exception.js';
import { AUTHORIZATION_SCHEMES_METADATA } from '../../internal.constants.js';
import { callDependency, isPromiseLike } from '../dependency-call.js';
import { bodyField, headerCount, httpRequest, removeBodyField, type GuardRequest } from '../guard-request.js';
import { PerRoute } from '../per-route.js';
import { accessRecord } from '../request-access.js';
import type { Principal } from '../principal.interface.js';
import { AUTHORIZATION_SCHEMES, type AuthorizationScheme } from './authorization-scheme.js';
import { SIGNATURE_VERIFIER, type SignatureVerifier } from './signature-verifier.interface.js';
import { signedRequest } from './signed-request.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.interface.js';
import { withChallenge } from './www-authenticate.js';

/** `Bearer <b64token>` (RFC 6750) or `Signature <params>`, scheme case-insensitive. */
const AUTHORIZATION = /^([A-Za-z]+) +(\S(?:.*\S)?)$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** A credential as the request presents it, before its scheme is checked. */
export interface PresentedCredential {
  /** The scheme as written, lower-case; `bearer` for the `token` field; `undefined` when the header has no form. */
  scheme: string | undefined;
  /** The token or signature (the `token` field may hold any JSON value). */
  value: unknown;
  /** Whether it came from the `token` body field rather than the `Authorization` header. */
  inBody: boolean;
}

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
 * handlers through `@AuthPrincipal()`. Each step is a protected method, to override in a subclass
 * registered in its place.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  /** Each route's schemes (see `getSchemes`). */
  private readonly schemes = new PerRoute<readonly AuthorizationScheme[]>();

  constructor(
    protected readonly reflector: Reflector,
    @Optional() @Inject(TOKEN_VERIFIER) protected readonly tokenVerifier?: TokenVerifier,
    @Optional() @Inject(SIGNATURE_VERIFIER) protected readonly signatureVerifier?: SignatureVerifier,
  ) {}

  /** Synchronous when the verifier answers at once (a cached JWT): no promise on the hot path. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    const schemes = this.getSchemes(context);
    try {
      const credential = this.readCredential(request);
      const value = credential.value as string;
      const principal =
        this.chooseScheme(credential, schemes) === 'bearer'
          ? this.verifyToken(value)
          : this.verifySignature(value, request);
      return isPromiseLike(principal)
        ? principal.then(
            verified => this.accept(request, verified),
            (error: unknown) => this.refuse(error, schemes),
          )
        : this.accept(request, principal);
    } catch (error) {
      return this.refuse(error, schemes);
    }
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /**
   * The schemes the route accepts: those of `@RequireAuthorization({ schemes })`, else every configured
   * one. Read from the route's metadata once per handler, then cached.
   */
  protected getSchemes(context: ExecutionContext): readonly AuthorizationScheme[] {
    return this.schemes.get(
      context,
      (handler, controller) =>
        this.reflector.getAllAndOverride<readonly AuthorizationScheme[] | null | undefined>(
          AUTHORIZATION_SCHEMES_METADATA,
          [handler, controller],
        ) ??
        AUTHORIZATION_SCHEMES.filter(
          scheme => (scheme === 'bearer' ? this.tokenVerifier : this.signatureVerifier) !== undefined,
        ),
    );
  }

  /** Reads the `Authorization` header or the `token` field (removed from the body); 401 when none or both. */
  protected readCredential(request: GuardRequest): PresentedCredential {
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
      return { scheme: 'bearer', value: tokenField, inBody: true };
    }
    const match = AUTHORIZATION.exec(header);
    return { scheme: match?.[1]?.toLowerCase(), value: match?.[2], inBody: false };
  }

  /** The scheme to verify the credential with, once its form and the route's schemes allow it; else 401. */
  protected chooseScheme(
    credential: PresentedCredential,
    schemes: readonly AuthorizationScheme[],
  ): AuthorizationScheme {
    const { scheme, value } = credential;
    const bearer = schemes.includes('bearer');
    if (credential.inBody) {
      if (!bearer || typeof value !== 'string' || !B64TOKEN.test(value)) {
        throw typeof value === 'string' && bearer ? new TokenInvalidException() : new AuthHeaderInvalidException();
      }
      return 'bearer';
    }
    if (scheme === 'bearer' && bearer && B64TOKEN.test(value as string)) {
      return 'bearer';
    }
    if (scheme === 'signature' && schemes.includes('signature')) {
      return 'signature';
    }
    throw new AuthHeaderInvalidException();
  }

  /** The principal of a Bearer token, from the `TokenVerifier` (its cache first); 503 when it cannot answer. */
  protected verifyToken(token: string): Principal | Promise<Principal> {
    const verifier = this.tokenVerifier;
    if (verifier === undefined) {
      throw new AuthHeaderInvalidException();
    }
    return callDependency(() => verifier.verifyCached?.(token) ?? verifier.verify(token));
  }

  /** The principal of a signed request, from the `SignatureVerifier`; 415 for a body it cannot sign. */
  protected verifySignature(signature: string, request: GuardRequest): Principal | Promise<Principal> {
    const verifier = this.signatureVerifier;
    if (verifier === undefined) {
      throw new AuthHeaderInvalidException();
    }
    const signed = signedRequest(request);
    return callDependency(() => verifier.verify(signature, signed));
  }

  /** Checks the principal's status, then leaves the principal on the request for `@AuthPrincipal()`. */
  protected accept(request: GuardRequest, principal: Principal): boolean {
    this.checkStatus(principal);
    accessRecord(request).principal = principal;
    return true;
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

  /** Throws the refusal, with the `WWW-Authenticate` challenge of the route's schemes on a 401. */
  protected refuse(error: unknown, schemes: readonly AuthorizationScheme[]): never {
    throw error instanceof ApiException && error.getStatus() === 401 ? withChallenge(error, schemes) : error;
  }
}
