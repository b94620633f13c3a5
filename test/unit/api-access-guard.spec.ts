import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiAccessGuard, CriticalAuth, RequireApiKey, RequireAuthorization } from 'nestjs-api-errors';

class Routes {
  @RequireApiKey()
  @RequireAuthorization()
  both(): void {}

  @CriticalAuth()
  critical(): void {}
}

function contextFor(handler: () => void): ExecutionContext {
  const request = { headers: {} };
  return {
    getHandler: () => handler,
    getClass: () => Routes,
    getArgByIndex: (index: number) => [request][index],
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

/** A stand-in for one of the guards ApiAccessGuard runs: records its calls, answers as told. */
function check(
  calls: string[],
  name: string,
  answer: () => boolean | Promise<boolean>,
): { canActivate: () => boolean | Promise<boolean> } {
  return {
    canActivate: () => {
      calls.push(name);
      return answer();
    },
  };
}

function accessGuard(
  calls: string[],
  answers: Partial<Record<'key' | 'auth' | 'critical', () => boolean | Promise<boolean>>>,
): ApiAccessGuard {
  const yes = (): boolean => true;
  return new ApiAccessGuard(new Reflector(), [
    check(calls, 'key', answers.key ?? yes),
    check(calls, 'auth', answers.auth ?? yes),
    check(calls, 'captcha', yes),
    check(calls, 'disclaimers', yes),
    check(calls, 'critical', answers.critical ?? yes),
  ] as never);
}

describe('ApiAccessGuard', () => {
  it('answers synchronously when every check does, in the fixed order, once per request', () => {
    const calls: string[] = [];
    const guard = accessGuard(calls, {});
    const context = contextFor(Routes.prototype.both);
    expect(guard.canActivate(context)).toBe(true);
    expect(guard.canActivate(context)).toBe(true);
    expect(calls).toEqual(['key', 'auth']);
  });

  it('goes on after a check that answers later, and a critical change implies authorization', async () => {
    const calls: string[] = [];
    const guard = accessGuard(calls, { auth: () => Promise.resolve(true) });
    const result = guard.canActivate(contextFor(Routes.prototype.critical));
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(true);
    expect(calls).toEqual(['auth', 'critical']);
  });

  it('stops at a check that says no, now or later', async () => {
    const now: string[] = [];
    expect(accessGuard(now, { key: () => false }).canActivate(contextFor(Routes.prototype.both))).toBe(false);
    expect(now).toEqual(['key']);
    const later: string[] = [];
    await expect(
      accessGuard(later, { key: () => Promise.resolve(false) }).canActivate(contextFor(Routes.prototype.both)),
    ).resolves.toBe(false);
    expect(later).toEqual(['key']);
  });

  it('lets a refusal through as it was thrown', async () => {
    const refusal = new Error('refused');
    expect(() =>
      accessGuard([], {
        key: () => {
          throw refusal;
        },
      }).canActivate(contextFor(Routes.prototype.both)),
    ).toThrow(refusal);
    await expect(
      accessGuard([], { auth: () => Promise.reject(refusal) }).canActivate(contextFor(Routes.prototype.both)),
    ).rejects.toBe(refusal);
  });
});
