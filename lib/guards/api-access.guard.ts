import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_CHECK_GUARDS } from '../internal.constants.js';
import { requiredAccessChecks, type AccessGuard } from './access-checks.js';
import { isPromiseLike } from './dependency-call.js';
import { PerRoute } from './per-route.js';
import { httpRequest, type GuardRequest } from './guard-request.js';
import { accessRecord } from './request-access.js';

/** The guards a route asks for, in the order they run, read from its metadata once. */
type AccessPlan = readonly AccessGuard[];

/**
 * The guard behind `@RequireApiKey()`, `@RequireAuthorization()`, `@RequireCaptcha()`,
 * `@RequireDisclaimers()` and `@CriticalAuth()`: it runs the checks a route asks for (on the route or
 * its controller) in the fixed order of `ACCESS_CHECKS`, whatever the order of the decorators — API key,
 * then authorization, then captcha, then disclaimers, then critical-change authentication — so a client
 * always learns first what it must fix first. It runs once per request even when both the controller
 * and the route carry decorators.
 */
@Injectable()
export class ApiAccessGuard implements CanActivate {
  /** Each route's plan: metadata is fixed once the application is up. */
  private readonly plans = new PerRoute<AccessPlan>();

  constructor(
    protected readonly reflector: Reflector,
    /** The guard of each entry of `ACCESS_CHECKS`, at the same index. */
    @Inject(ACCESS_CHECK_GUARDS) protected readonly guards: readonly AccessGuard[],
  ) {}

  /**
   * Synchronous as long as every check is (an API key of the default validator, a JWT already
   * verified): Nest then skips a promise per guard, which is measurable on Fastify.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const record = accessRecord(this.getRequest(context));
    if (record.checked) {
      return true;
    }
    record.checked = true;
    return runSteps(this.planOf(context), 0, context);
  }

  /** The request of the context, where the guard marks that it has run; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** The guards the route requires, in order: made from `ACCESS_CHECKS` once per route, then cached. */
  protected planOf(context: ExecutionContext): AccessPlan {
    return this.plans.get(context, (handler, controller) =>
      requiredAccessChecks(key => this.reflector.getAllAndOverride<unknown>(key, [handler, controller])).map(
        ({ index }) => this.guards[index] as AccessGuard,
      ),
    );
  }
}

/**
 * Runs the guards from `index` on, synchronously until one answers with a promise; stops at the first
 * that says no (the built-in checks throw instead, but a subclass may return `false`).
 */
function runSteps(plan: AccessPlan, index: number, context: ExecutionContext): boolean | Promise<boolean> {
  for (let i = index; i < plan.length; i++) {
    const result = (plan[i] as AccessGuard).canActivate(context);
    if (isPromiseLike(result)) {
      return result.then(allowed => allowed && runSteps(plan, i + 1, context));
    }
    if (!result) {
      return false;
    }
  }
  return true;
}
