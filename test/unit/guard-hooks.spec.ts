import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  API_ERROR_CATALOGUE,
  AccessRestrictedException,
  ApiAccessGuard,
  ApiKeyGuard,
  AuthorizationGuard,
  CaptchaGuard,
  CriticalAuth,
  CriticalAuthGuard,
  DisclaimersGuard,
  MemoryStore,
  requestAccess,
  RequireApiKey,
  RequireAuthorization,
  RequireCaptcha,
  RequireDisclaimers,
  UserRestrictedException,
  routeErrorCodes,
  type ApiException,
  type AuthorizationScheme,
  type ClientApplication,
  type CriticalAuthMethod,
  type Principal,
} from 'nestjs-api-errors';
import { ACCESS_CHECKS } from '../../lib/guards/access-checks.js';
import type { PresentedCredential } from '../../lib/guards/authorization/authorization.guard.js';
import type { PresentedSecrets } from '../../lib/guards/critical-auth/critical-auth.interfaces.js';
import type { GuardRequest } from '../../lib/guards/guard-request.js';
import { resolveCriticalAuthSettings } from '../../lib/options/critical-auth.options.js';
import { fakeRequest, guardContext } from '../support/guard-context.js';

/** A context of another transport: no `switchToHttp()`, the request is the first argument. */
function transportContext(request: GuardRequest, handler: object = function handler(): void {}): ExecutionContext {
  return {
    getType: () => 'rpc',
    getHandler: () => handler,
    getClass: () => class Controller {},
    getArgByIndex: () => request,
  } as unknown as ExecutionContext;
}

const firstArgument = (context: ExecutionContext): GuardRequest => context.getArgByIndex<GuardRequest>(0);

async function refusalOf(run: () => unknown): Promise<ApiException> {
  try {
    await run();
  } catch (error) {
    return error as ApiException;
  }
  throw new Error('the guard let the request through');
}

const apiKeyOptions = { apiKey: { header: 'X-Api-Key' } } as never;
const partner: ClientApplication = { id: 'partner' };

describe('guard hooks: a subclass overriding a step changes that step only', () => {
  it('ApiKeyGuard: getRequest, readKey and validate', async () => {
    class QueryKeyGuard extends ApiKeyGuard {
      protected override getRequest(context: ExecutionContext): GuardRequest {
        return firstArgument(context);
      }
      protected override readKey(request: GuardRequest): string {
        return new URL(request.url, 'http://localhost').searchParams.get('api_key') ?? '';
      }
      protected override validate(key: string): ClientApplication | null {
        return key === 'k-1' ? partner : null;
      }
    }
    const guard = new QueryKeyGuard({ validate: () => null }, apiKeyOptions);
    const request = fakeRequest({ url: '/things?api_key=k-1' });
    expect(guard.canActivate(transportContext(request))).toBe(true);
    expect(requestAccess(request).client).toBe(partner);
    const wrong = await refusalOf(() => guard.canActivate(transportContext(fakeRequest({ url: '/?api_key=k-2' }))));
    expect(wrong.code).toBe('auth.apikey.invalid');
    const none = await refusalOf(() => guard.canActivate(transportContext(fakeRequest())));
    expect(none.code).toBe('auth.apikey.missing');
  });

  it('CaptchaGuard: getRequest, readResponse and verify', async () => {
    const asked: string[] = [];
    class HeaderCaptchaGuard extends CaptchaGuard {
      protected override getRequest(context: ExecutionContext): GuardRequest {
        return firstArgument(context);
      }
      protected override readResponse(request: GuardRequest): unknown {
        return request.headers['x-captcha'];
      }
      protected override async verify(response: string, request: GuardRequest): Promise<boolean> {
        asked.push(`${response}@${request.ip}`);
        return response === 'solved';
      }
    }
    const guard = new HeaderCaptchaGuard({ verify: async () => false });
    const solved = fakeRequest({ headers: { 'x-captcha': 'solved' } });
    await expect(guard.canActivate(transportContext(solved))).resolves.toBe(true);
    expect(asked).toEqual(['solved@203.0.113.7']);
    const refused = await refusalOf(() =>
      guard.canActivate(transportContext(fakeRequest({ headers: { 'x-captcha': 'no' } }))),
    );
    expect(refused.code).toBe('auth.captcha.invalid');
    expect((await refusalOf(() => guard.canActivate(transportContext(fakeRequest())))).code).toBe(
      'auth.captcha.missing',
    );
  });

  it('DisclaimersGuard: getRequest, getRequired, readAccepted and refuse', async () => {
    class HeaderDisclaimersGuard extends DisclaimersGuard {
      protected override getRequest(context: ExecutionContext): GuardRequest {
        return firstArgument(context);
      }
      protected override getRequired(): readonly string[] {
        return ['terms', 'privacy'];
      }
      protected override readAccepted(request: GuardRequest): ReadonlySet<string> {
        return new Set(String(request.headers['x-accepted'] ?? '').split(','));
      }
      protected override refuse(missing: readonly string[]): never {
        throw new AccessRestrictedException(`Accept ${missing.join(', ')} first.`);
      }
    }
    const guard = new HeaderDisclaimersGuard(new Reflector());
    const both = fakeRequest({ headers: { 'x-accepted': 'terms,privacy' } });
    expect(guard.canActivate(transportContext(both))).toBe(true);
    const refusal = await refusalOf(() =>
      guard.canActivate(transportContext(fakeRequest({ headers: { 'x-accepted': 'terms' } }))),
    );
    expect(refusal.code).toBe('auth.restricted');
    expect(refusal.messages).toEqual(['Accept privacy first.']);
  });

  describe('AuthorizationGuard', () => {
    const alice: Principal = { id: 'alice', verified: false };
    const tokens = { verify: async (token: string): Promise<Principal> => ({ ...alice, token }) };

    it('getRequest, readCredential and checkStatus', async () => {
      class SessionCookieGuard extends AuthorizationGuard {
        protected override getRequest(context: ExecutionContext): GuardRequest {
          return firstArgument(context);
        }
        protected override readCredential(request: GuardRequest): PresentedCredential {
          const session = /(?:^|; )session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
          return session === undefined
            ? super.readCredential(request)
            : { scheme: 'bearer', value: session, inBody: false };
        }
        protected override checkStatus(principal: Principal): void {
          super.checkStatus(principal);
          if (principal.verified === false) {
            throw new UserRestrictedException('Verify your email address first.');
          }
        }
      }
      const guard = new SessionCookieGuard(new Reflector(), tokens);
      const request = fakeRequest({ headers: { cookie: 'theme=dark; session=abc.def' } });
      const refusal = await refusalOf(() => guard.canActivate(transportContext(request)));
      expect(refusal.code).toBe('auth.user.restricted');
      expect(refusal.messages).toEqual(['Verify your email address first.']);
      const missing = await refusalOf(() => guard.canActivate(transportContext(fakeRequest())));
      expect(missing.code).toBe('auth.header.missing');
    });

    it('getSchemes, chooseScheme, verifyToken, accept and refuse', async () => {
      class OpaqueTokenGuard extends AuthorizationGuard {
        protected override getSchemes(): readonly AuthorizationScheme[] {
          return ['bearer'];
        }
        protected override chooseScheme(credential: PresentedCredential): AuthorizationScheme {
          if (credential.scheme !== 'token') {
            throw new AccessRestrictedException();
          }
          return 'bearer';
        }
        protected override verifyToken(token: string): Principal {
          return { id: `opaque:${token}` };
        }
        protected override accept(request: GuardRequest, principal: Principal): boolean {
          requestAccess(request).principal = { ...principal, via: 'opaque' };
          return true;
        }
        protected override refuse(error: unknown): never {
          throw error;
        }
      }
      const guard = new OpaqueTokenGuard(new Reflector());
      const request = fakeRequest({ headers: { authorization: 'Token t-1' } });
      expect(guard.canActivate(guardContext(request))).toBe(true);
      expect(requestAccess(request).principal).toEqual({ id: 'opaque:t-1', via: 'opaque' });
      const refusal = await refusalOf(() => guard.canActivate(guardContext(fakeRequest())));
      expect(refusal.code).toBe('auth.header.missing');
      expect(refusal.headers['WWW-Authenticate']).toBeUndefined();
    });
  });

  it('CriticalAuthGuard: getRequest, readSecrets and methodFor', async () => {
    class HeaderSecretsGuard extends CriticalAuthGuard {
      protected override getRequest(context: ExecutionContext): GuardRequest {
        return firstArgument(context);
      }
      protected override readSecrets(request: GuardRequest): PresentedSecrets {
        return { password: request.headers['x-password'], otp: undefined };
      }
      protected override async methodFor(): Promise<CriticalAuthMethod> {
        return 'password';
      }
    }
    const options = { criticalAuth: resolveCriticalAuthSettings() } as never;
    const passwords = { verify: async (_principal: Principal, password: string) => password === 'right' };
    const guard = new HeaderSecretsGuard(new MemoryStore(), options, { methodFor: () => 'otp' }, passwords);
    const request = fakeRequest({ headers: { 'x-password': 'right' }, body: { password: 'wrong' } });
    requestAccess(request).principal = { id: 'alice' };
    await expect(guard.canActivate(transportContext(request))).resolves.toBe(true);
    expect(request.body).toEqual({ password: 'wrong' });
  });

  it('ApiAccessGuard: getRequest, where it marks that it has run', async () => {
    class TransportAccessGuard extends ApiAccessGuard {
      protected override getRequest(context: ExecutionContext): GuardRequest {
        return firstArgument(context);
      }
    }
    class Routes {
      @RequireApiKey()
      route(): void {}
    }
    const calls: string[] = [];
    const key = { canActivate: () => calls.push('key') > 0 };
    const guard = new TransportAccessGuard(new Reflector(), [key, key, key, key, key]);
    const request = fakeRequest();
    const context = {
      ...transportContext(request, Routes.prototype.route),
      getClass: () => Routes,
    } as ExecutionContext;
    expect(guard.canActivate(context)).toBe(true);
    expect(guard.canActivate(context)).toBe(true);
    expect(calls).toEqual(['key']);
  });
});

describe('the table of access checks', () => {
  it('runs the checks in one fixed order: API key, authorization, captcha, disclaimers, critical auth', () => {
    expect(ACCESS_CHECKS.map(check => check.guard)).toEqual([
      ApiKeyGuard,
      AuthorizationGuard,
      CaptchaGuard,
      DisclaimersGuard,
      CriticalAuthGuard,
    ]);
  });

  it('answers only with catalogue codes, of these statuses', () => {
    const statuses = Object.fromEntries(
      ACCESS_CHECKS.flatMap(check => check.codes(undefined)).map(code => [code, API_ERROR_CATALOGUE[code].status]),
    );
    expect(statuses).toEqual({
      'auth.apikey.missing': 401,
      'auth.apikey.invalid': 401,
      'auth.header.missing': 401,
      'auth.header.invalid': 401,
      'auth.token.expired': 401,
      'auth.token.invalid': 401,
      'auth.signature.invalid': 401,
      'auth.signature.expired': 401,
      'request.mediatype.unsupported': 415,
      'auth.user.restricted': 403,
      'auth.user.closed': 403,
      'auth.user.denied': 403,
      'auth.captcha.missing': 401,
      'auth.captcha.invalid': 401,
      'auth.disclaimer.invalid': 401,
      'critical.auth.required': 403,
      'auth.password.invalid': 401,
      'auth.otp.invalid': 401,
      'request.rate.exceeded': 429,
    });
  });

  type Schemes = readonly AuthorizationScheme[] | 'all' | 'none';
  interface Combination {
    apiKey: boolean;
    schemes: Schemes;
    captcha: boolean;
    disclaimers: boolean;
    critical: boolean;
  }
  const combinations: Combination[] = [];
  for (const apiKey of [false, true]) {
    for (const schemes of ['none', 'all', ['bearer'], ['signature']] as Schemes[]) {
      for (const captcha of [false, true]) {
        for (const disclaimers of [false, true]) {
          for (const critical of [false, true]) {
            combinations.push({ apiKey, schemes, captcha, disclaimers, critical });
          }
        }
      }
    }
  }

  /** The route's codes as the OpenAPI helper has always listed them, written out by hand. */
  function documentedCodes({ apiKey, schemes, captcha, disclaimers, critical }: Combination): string[] {
    const accepts = (scheme: AuthorizationScheme): boolean => typeof schemes === 'string' || schemes.includes(scheme);
    const authorization = schemes !== 'none' || critical;
    const codes = [
      ...(apiKey ? ['auth.apikey.missing', 'auth.apikey.invalid'] : []),
      ...(authorization ? ['auth.header.missing', 'auth.header.invalid'] : []),
      ...(authorization && accepts('bearer') ? ['auth.token.expired', 'auth.token.invalid'] : []),
      ...(authorization && accepts('signature')
        ? ['auth.signature.invalid', 'auth.signature.expired', 'request.mediatype.unsupported']
        : []),
      ...(authorization ? ['auth.user.restricted', 'auth.user.closed', 'auth.user.denied'] : []),
      ...(captcha ? ['auth.captcha.missing', 'auth.captcha.invalid'] : []),
      ...(disclaimers ? ['auth.disclaimer.invalid'] : []),
      ...(critical
        ? ['critical.auth.required', 'auth.password.invalid', 'auth.otp.invalid', 'request.rate.exceeded']
        : []),
    ];
    return codes.length > 0 ? [...codes, 'server.unavailable'] : [];
  }

  /** A controller whose one route carries the decorators of the combination, in reverse order. */
  function routeOf(combination: Combination): { controller: object; handler: object } {
    const decorators: MethodDecorator[] = [
      ...(combination.critical ? [CriticalAuth()] : []),
      ...(combination.disclaimers ? [RequireDisclaimers('terms')] : []),
      ...(combination.captcha ? [RequireCaptcha()] : []),
      ...(combination.schemes === 'all' ? [RequireAuthorization()] : []),
      ...(typeof combination.schemes === 'object' ? [RequireAuthorization({ schemes: combination.schemes })] : []),
      ...(combination.apiKey ? [RequireApiKey()] : []),
    ];
    class Controller {
      route(): void {}
    }
    const descriptor = Object.getOwnPropertyDescriptor(Controller.prototype, 'route') as PropertyDescriptor;
    decorators.forEach(decorator => decorator(Controller.prototype, 'route', descriptor));
    return { controller: Controller, handler: Controller.prototype.route };
  }

  it.each(combinations)('agrees with the guard and the OpenAPI helper: %j', combination => {
    const { controller, handler } = routeOf(combination);
    const ran: number[] = [];
    const guards = ACCESS_CHECKS.map((_check, index) => ({ canActivate: () => ran.push(index) > 0 }));
    const request = fakeRequest();
    expect(new ApiAccessGuard(new Reflector(), guards).canActivate(guardContext(request, handler, controller))).toBe(
      true,
    );
    const fromTable = ran.flatMap(index => {
      const check = ACCESS_CHECKS[index] as (typeof ACCESS_CHECKS)[number];
      return check.codes(Reflect.getMetadata(check.metadata, handler));
    });
    const documented = documentedCodes(combination);
    expect(ran).toEqual([...ran].sort());
    expect(routeErrorCodes(controller, handler)).toEqual(documented);
    expect(fromTable.length > 0 ? [...fromTable, 'server.unavailable'] : []).toEqual(documented);
  });

  it('lets a route’s own schemes win over its controller’s, in the guard and the OpenAPI helper alike', () => {
    @RequireAuthorization({ schemes: ['bearer'] })
    class Controller {
      @RequireAuthorization({ schemes: ['signature'] })
      route(): void {}
    }
    const codes = routeErrorCodes(Controller, Controller.prototype.route);
    expect(codes).toContain('auth.signature.invalid');
    expect(codes).not.toContain('auth.token.invalid');
  });
});
