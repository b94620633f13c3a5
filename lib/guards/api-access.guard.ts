import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyGuard } from './api-key/api-key.guard.js';
import { AuthorizationGuard } from './authorization/authorization.guard.js';
import { AUTHORIZATION_SCHEMES_METADATA } from './authorization/authorization.constants.js';
import { CaptchaGuard } from './captcha/captcha.guard.js';
import { DisclaimersGuard, REQUIRED_DISCLAIMERS_METADATA } from './disclaimers/disclaimers.guard.js';
import { CriticalAuthGuard } from './critical-auth/critical-auth.guard.js';
import { isPromiseLike } from './dependency-call.js';
import { httpRequest } from './guard-request.js';

/** Metadata keys set by the `@Require…()` decorators. */
export const REQUIRE_API_KEY_METADATA = 'nestjs-api-errors:require-api-key';
export const REQUIRE_CAPTCHA_METADATA = 'nestjs-api-errors:require-captcha';
export const REQUIRE_CRITICAL_AUTH_METADATA = 'nestjs-api-errors:require-critical-auth';

const CHECKED = Symbol.for('nestjs-api-errors.access-checked');

/** The checks a route asks for, read from its metadata once. */
interface AccessPlan {
  /** The checks to run, in order; each answers now (a boolean) or later (a promise). */
  steps: readonly ((context: ExecutionContext) => boolean | Promise<boolean>)[];
}

/**
 * The guard behind `@RequireApiKey()`, `@RequireAuthorization()`, `@RequireCaptcha()` and
 * `@RequireDisclaimers()` and `@CriticalAuth()`: it runs the checks a route asks for (on the route or
 * its controller) in one fixed order, whatever the order of the decorators — API key, then
 * authorization, then captcha, then disclaimers, then critical-change authentication — so a client always learns first what it must fix first. It runs once per request even
 * when both the controller and the route carry decorators.
 */
@Injectable()
export class ApiAccessGuard implements CanActivate {
  /**
   * Plans by controller and handler (a handler inherited by two controllers may get different
   * controller-level decorators): metadata is fixed once the application is up.
   */
  private readonly plans = new WeakMap<object, WeakMap<object, AccessPlan>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKey: ApiKeyGuard,
    private readonly authorization: AuthorizationGuard,
    private readonly captcha: CaptchaGuard,
    private readonly disclaimers: DisclaimersGuard,
    private readonly criticalAuth: CriticalAuthGuard,
  ) {}

  /**
   * Synchronous as long as every check is (an API key of the default validator, a JWT already
   * verified): Nest then skips a promise per guard, which is measurable on Fastify.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = httpRequest(context);
    if (request[CHECKED] === true) {
      return true;
    }
    request[CHECKED] = true;
    return runSteps(this.planOf(context).steps, 0, context);
  }

  private planOf(context: ExecutionContext): AccessPlan {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.plans.get(controller);
    if (byHandler === undefined) {
      byHandler = new WeakMap();
      this.plans.set(controller, byHandler);
    }
    let plan = byHandler.get(handler);
    if (plan === undefined) {
      const targets = [handler, controller];
      const wants = (key: string): boolean => this.reflector.getAllAndOverride<unknown>(key, targets) !== undefined;
      const criticalAuth = wants(REQUIRE_CRITICAL_AUTH_METADATA);
      const steps: AccessPlan['steps'][number][] = [];
      if (wants(REQUIRE_API_KEY_METADATA)) {
        steps.push(ctx => this.apiKey.canActivate(ctx));
      }
      // a critical change needs to know who makes it
      if (criticalAuth || wants(AUTHORIZATION_SCHEMES_METADATA)) {
        steps.push(ctx => this.authorization.canActivate(ctx));
      }
      if (wants(REQUIRE_CAPTCHA_METADATA)) {
        steps.push(ctx => this.captcha.canActivate(ctx));
      }
      if (wants(REQUIRED_DISCLAIMERS_METADATA)) {
        steps.push(ctx => this.disclaimers.canActivate(ctx));
      }
      if (criticalAuth) {
        steps.push(ctx => this.criticalAuth.canActivate(ctx));
      }
      plan = { steps };
      byHandler.set(handler, plan);
    }
    return plan;
  }
}

/**
 * Runs the steps from `index` on, synchronously until one answers with a promise; stops at the first
 * that says no (the built-in checks throw instead, but a subclass may return `false`).
 */
function runSteps(steps: AccessPlan['steps'], index: number, context: ExecutionContext): boolean | Promise<boolean> {
  for (let i = index; i < steps.length; i++) {
    const result = (steps[i] as AccessPlan['steps'][number])(context);
    if (isPromiseLike(result)) {
      return result.then(allowed => allowed && runSteps(steps, i + 1, context));
    }
    if (!result) {
      return false;
    }
  }
  return true;
}
