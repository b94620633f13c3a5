import { Reflector } from '@nestjs/core';
import {
  ApiErrorsConfigurationError,
  ApiException,
  AuthorizationGuard,
  requestAccess,
  RequireAuthorization,
  TOKEN_FIELD,
  TokenExpiredException,
  type Principal,
  type SignatureVerifier,
  type SignedRequest,
  type TokenVerifier,
} from 'nestjs-api-errors';
import { fakeRequest, guardContext, type FakeRequestInit } from '../support/guard-context.js';

const alice: Principal = { id: 'alice', status: 'active' };
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

class Routes {
  anyScheme(): void {}

  @RequireAuthorization({ schemes: ['signature'] })
  signedOnly(): void {}
}

/** A token verifier that knows one token, answering now (from its cache) or later. */
function tokens(answer: 'now' | 'later', principal: Principal = alice): TokenVerifier & { seen: string[] } {
  const seen: string[] = [];
  const lookUp = (token: string): Principal => {
    seen.push(token);
    if (token !== TOKEN) {
      throw new TokenExpiredException();
    }
    return principal;
  };
  return {
    seen,
    verify: async token => lookUp(token),
    ...(answer === 'now' ? { verifyCached: lookUp } : {}),
  };
}

function signatures(): SignatureVerifier & { seen: SignedRequest[] } {
  const seen: SignedRequest[] = [];
  return {
    seen,
    verify: async (_value, request) => {
      seen.push(request);
      return alice;
    },
  };
}

/** What the guard answers: `true`, or the error it threw or rejected with. */
async function outcome(guard: AuthorizationGuard, init: FakeRequestInit, handler: object = Routes.prototype.anyScheme) {
  const request = fakeRequest(init);
  try {
    return { answer: await guard.canActivate(guardContext(request, handler, Routes)), request };
  } catch (error) {
    return { error: error as ApiException, request };
  }
}

const bearer = (value: string): FakeRequestInit => ({ headers: { authorization: `Bearer ${value}` } });

describe('AuthorizationGuard', () => {
  const both = (): AuthorizationGuard => new AuthorizationGuard(new Reflector(), tokens('later'), signatures());

  it('answers synchronously when the token verifier answers from its cache, and leaves the principal', () => {
    const guard = new AuthorizationGuard(new Reflector(), tokens('now'));
    const request = fakeRequest(bearer(TOKEN));
    expect(guard.canActivate(guardContext(request, Routes.prototype.anyScheme, Routes))).toBe(true);
    expect(requestAccess(request).principal).toBe(alice);
  });

  it('waits for a verifier that answers later', async () => {
    const { answer, request } = await outcome(both(), bearer(TOKEN));
    expect(answer).toBe(true);
    expect(requestAccess(request).principal).toBe(alice);
  });

  it('answers auth.header.missing with the challenge of every configured scheme', async () => {
    const { error } = await outcome(both(), {});
    expect(error?.code).toBe('auth.header.missing');
    expect(error?.headers['WWW-Authenticate']).toBe('Bearer realm="api", Signature realm="api"');
  });

  it.each<[string, FakeRequestInit]>([
    ['an unknown scheme', { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }],
    ['a header of no form', { headers: { authorization: 'Bearer' } }],
    ['a token of characters RFC 6750 does not allow', bearer('not a token!')],
    ['two Authorization headers', { ...bearer(TOKEN), rawHeaders: ['Authorization', 'a', 'Authorization', 'b'] }],
    ['a header and a token field together', { ...bearer(TOKEN), body: { [TOKEN_FIELD]: TOKEN } }],
    ['a token field that is not a string', { body: { [TOKEN_FIELD]: 42 } }],
  ])('answers auth.header.invalid to %s, with error="invalid_request"', async (_case, init) => {
    const { error } = await outcome(both(), init);
    expect(error?.code).toBe('auth.header.invalid');
    expect(error?.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", Signature realm="api"',
    );
  });

  it('takes a token from the token field where there is no header, and removes the field', async () => {
    const verifier = tokens('later');
    const guard = new AuthorizationGuard(new Reflector(), verifier);
    const { answer, request } = await outcome(guard, { body: { [TOKEN_FIELD]: TOKEN, name: 'x' } });
    expect(answer).toBe(true);
    expect(verifier.seen).toEqual([TOKEN]);
    expect(request.body).toEqual({ name: 'x' });
    const malformed = await outcome(guard, { body: { [TOKEN_FIELD]: 'not a token!' } });
    expect(malformed.error?.code).toBe('auth.token.invalid');
  });

  it('passes the verifier’s answer on, with error="invalid_token" and its description', async () => {
    const { error } = await outcome(both(), bearer('expired.token'));
    expect(error?.code).toBe('auth.token.expired');
    expect(error?.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token expired", Signature realm="api"',
    );
  });

  it('answers 503 server.unavailable when the verifier cannot answer', async () => {
    const failing: TokenVerifier = { verify: () => Promise.reject(new Error('JWKS server down')) };
    const { error } = await outcome(new AuthorizationGuard(new Reflector(), failing), bearer(TOKEN));
    expect(error?.code).toBe('server.unavailable');
    expect(error?.getStatus()).toBe(503);
  });

  it('accepts only the schemes of the route, and challenges with those only', async () => {
    const { error } = await outcome(both(), bearer(TOKEN), Routes.prototype.signedOnly);
    expect(error?.code).toBe('auth.header.invalid');
    expect(error?.headers['WWW-Authenticate']).toBe('Signature realm="api"');
  });

  it('accepts only the schemes that are configured', async () => {
    const guard = new AuthorizationGuard(new Reflector(), undefined, signatures());
    const { error } = await outcome(guard, bearer(TOKEN));
    expect(error?.code).toBe('auth.header.invalid');
    expect(error?.headers['WWW-Authenticate']).toBe('Signature realm="api"');
  });

  it('gives the signature verifier what the signature covers', async () => {
    const verifier = signatures();
    const guard = new AuthorizationGuard(new Reflector(), undefined, verifier);
    const rawBody = Buffer.from('{"a":1}');
    const init: FakeRequestInit = {
      method: 'PUT',
      url: '/things/1?b=2&a=1',
      headers: { authorization: 'Signature keyId="k"', 'content-length': '7', 'content-type': 'application/json' },
      body: { a: 1 },
      rawBody,
    };
    expect((await outcome(guard, init)).answer).toBe(true);
    expect(verifier.seen).toEqual([{ method: 'PUT', path: '/things/1', query: 'b=2&a=1', body: rawBody }]);
  });

  it('refuses a signed body whose bytes Nest does not keep with 415, and says when rawBody is off', async () => {
    const guard = new AuthorizationGuard(new Reflector(), undefined, signatures());
    const signed = (contentType: string): FakeRequestInit => ({
      headers: { authorization: 'Signature keyId="k"', 'content-length': '2', 'content-type': contentType },
      body: {},
    });
    const text = await outcome(guard, signed('text/plain'));
    expect(text.error?.code).toBe('request.mediatype.unsupported');
    expect(text.error?.headers['WWW-Authenticate']).toBeUndefined();
    const json = await outcome(guard, signed('application/json; charset=utf-8'));
    expect(json.error).toBeInstanceOf(ApiErrorsConfigurationError);
  });

  it.each(['restricted', 'closed', 'denied'] as const)(
    'answers 403 auth.user.%s, without a challenge, for a principal in that state',
    async status => {
      const guard = new AuthorizationGuard(new Reflector(), tokens('now', { id: 'bob', status }));
      const { error, request } = await outcome(guard, bearer(TOKEN));
      expect(error?.code).toBe(`auth.user.${status}`);
      expect(error?.getStatus()).toBe(403);
      expect(error?.headers['WWW-Authenticate']).toBeUndefined();
      expect(requestAccess(request).principal).toBeUndefined();
    },
  );
});
