import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import {
  CriticalAuthRequiredException,
  OtpInvalidException,
  PasswordInvalidException,
  type CriticalAuthMethod,
} from '../../exceptions/contract.exceptions.js';
import { OTP_FIELD, PASSWORD_FIELD } from '../../api-errors.constants.js';
import { RateLimitExceededException } from '../../exceptions/extension.exceptions.js';
import { AttemptLimiter, type AttemptLimit } from '../../limits/attempt-limiter.js';
import type { ResolvedCriticalAuthSettings } from '../../options/critical-auth.options.js';
import { RESOLVED_OPTIONS, type ResolvedApiErrorsOptions } from '../../options/resolved-options.provider.js';
import { API_ERRORS_STORE, type ApiErrorsStore } from '../../stores/api-errors-store.interface.js';
import { STORE_KEYS } from '../../stores/store-keys.js';
import { callDependency } from '../dependency-call.js';
import { bodyField, httpRequest, removeBodyField, type GuardRequest } from '../guard-request.js';
import type { Principal } from '../principal.interface.js';
import { accessRecord } from '../request-access.js';
import {
  CRITICAL_AUTH_POLICY,
  OTP_SENDER,
  PASSWORD_VERIFIER,
  type CriticalAuthPolicy,
  type OtpSender,
  type PasswordVerifier,
  type PresentedSecrets,
} from './critical-auth.interfaces.js';
import {
  CRITICAL_AUTH_LIMIT_MESSAGES as MESSAGES,
  otpAttemptLimits,
  otpSendLimits,
  passwordAttemptLimits,
} from './critical-auth.limits.js';
import { OtpChallenge } from './otp-challenge.js';

/**
 * `@CriticalAuth()`: the request changes something critical, so the principal re-authenticates with
 * the method the policy chose for it.
 *
 * - No `password` / `otp` field → 403 `critical.auth.required` with `critical_auth_method`. For
 *   `otp`, a code is issued (see `OtpChallenge`) and sent through the `OtpSender`; re-sends are
 *   throttled and capped per day (429 `request.rate.exceeded` with `retry_after`).
 * - Every try is reserved through the `AttemptLimiter` before the secret is checked, so that parallel
 *   guesses cannot pass the limits: `otpMaxAttempts` per window across re-issued codes,
 *   `otpMaxConsecutiveFailures` before a lock-out, `passwordMaxAttempts` per window. Over a limit → 429.
 * - A wrong, expired, used, replaced or burnt code → 401 `auth.otp.invalid`; a wrong password → 401
 *   `auth.password.invalid`. Only the chosen method is accepted. Both fields are removed from the body
 *   before pipes run.
 *
 * Each step is a protected method, to override in a subclass registered in its place.
 */
@Injectable()
export class CriticalAuthGuard implements CanActivate {
  protected readonly settings: ResolvedCriticalAuthSettings;
  protected readonly challenge: OtpChallenge;
  protected readonly limiter: AttemptLimiter;

  constructor(
    @Inject(API_ERRORS_STORE) protected readonly store: ApiErrorsStore,
    @Inject(RESOLVED_OPTIONS) options: ResolvedApiErrorsOptions,
    @Optional() @Inject(CRITICAL_AUTH_POLICY) protected readonly policy?: CriticalAuthPolicy,
    @Optional() @Inject(PASSWORD_VERIFIER) protected readonly passwordVerifier?: PasswordVerifier,
    @Optional() @Inject(OTP_SENDER) protected readonly otpSender?: OtpSender,
  ) {
    this.settings = options.criticalAuth;
    this.limiter = new AttemptLimiter(store);
    this.challenge = OtpChallenge.create(store, this.settings, otpSender !== undefined);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = this.getRequest(context);
    const principal = this.getPrincipal(request);
    const { password, otp } = this.readSecrets(request);
    const method = await this.methodFor(principal);
    if (method === 'otp') {
      if (isAbsent(otp)) {
        await this.issueOtp(principal, request);
        throw new CriticalAuthRequiredException('otp');
      }
      await this.checkOtp(principal, request, otp);
    } else {
      if (isAbsent(password)) {
        throw new CriticalAuthRequiredException('password');
      }
      await this.checkPassword(principal, password);
    }
    return true;
  }

  /** The request of the context; override for other transports. */
  protected getRequest(context: ExecutionContext): GuardRequest {
    return httpRequest(context);
  }

  /** Takes `password` and `otp` out of the body (both removed, so that a whitelisting pipe does not refuse them). */
  protected readSecrets(request: GuardRequest): PresentedSecrets {
    const secrets = { password: bodyField(request, PASSWORD_FIELD), otp: bodyField(request, OTP_FIELD) };
    removeBodyField(request, PASSWORD_FIELD);
    removeBodyField(request, OTP_FIELD);
    return secrets;
  }

  /** The principal the authorization guard established. */
  protected getPrincipal(request: GuardRequest): Principal {
    const principal = accessRecord(request).principal;
    if (principal === undefined) {
      throw ApiErrorsConfigurationError.create(
        'a @CriticalAuth() route ran without an authenticated principal',
        'Put AuthorizationGuard (@RequireAuthorization()) before CriticalAuthGuard, or use the @CriticalAuth() decorator, which does',
      );
    }
    return principal;
  }

  /** The method the policy chooses; without a policy, `password` when a password verifier is set, else `otp`. */
  protected async methodFor(principal: Principal): Promise<CriticalAuthMethod> {
    const policy = this.policy;
    if (policy === undefined) {
      return this.passwordVerifier !== undefined ? 'password' : 'otp';
    }
    const method = await callDependency(() => policy.methodFor(principal));
    if (method !== 'password' && method !== 'otp') {
      throw ApiErrorsConfigurationError.create(
        `the critical-auth policy chose "${String(method)}"`,
        "Return 'password' or 'otp'",
      );
    }
    return method;
  }

  /** The counters every OTP try is reserved under: the attempt window, and the lock-out. */
  protected otpLimits(principal: Principal): AttemptLimit[] {
    return otpAttemptLimits(this.settings, principal);
  }

  /** The counter every password try is reserved under. */
  protected passwordLimits(principal: Principal): AttemptLimit[] {
    return passwordAttemptLimits(this.settings, principal);
  }

  /**
   * Issues a code and sends it: refused (429) while the principal may not try one anyway, within the
   * re-send interval, or over the day's sends.
   */
  protected async issueOtp(principal: Principal, request: GuardRequest): Promise<void> {
    const sender = this.otpSender;
    if (sender === undefined) {
      throw ApiErrorsConfigurationError.create(
        'the critical-auth policy chose "otp" but no OTP sender is configured',
        'Set criticalAuth.otpSender',
      );
    }
    const { otpTtlSeconds, otpResendIntervalSeconds } = this.settings;
    await this.limiter.assertOpen(this.otpLimits(principal), [MESSAGES.tooManyCodes]);
    const resendKey = STORE_KEYS.otpResend(principal.id);
    const mayResend = await callDependency(() => this.store.setIfAbsent(resendKey, '1', otpResendIntervalSeconds));
    if (!mayResend) {
      const wait = await callDependency(() => this.store.ttlSeconds(resendKey));
      throw new RateLimitExceededException(wait ?? otpResendIntervalSeconds, [MESSAGES.resendWait]);
    }
    await this.limiter.reserve(otpSendLimits(this.settings, principal), [MESSAGES.tooManySends]);
    const code = await this.challenge.issue(principal, request);
    try {
      await callDependency(() => sender.send({ principal, code, expiresInSeconds: otpTtlSeconds }));
    } catch (error) {
      await this.store.delete(resendKey).catch(() => undefined);
      throw error;
    }
  }

  /** Reserves a try, then consumes the code; the try that uses up the window burns the live code. */
  protected async checkOtp(principal: Principal, request: GuardRequest, otp: unknown): Promise<void> {
    const limits = this.otpLimits(principal);
    const left = await this.limiter.reserve(limits, [MESSAGES.tooManyCodes]);
    if ((await this.challenge.consume(principal, request, otp)) === 'consumed') {
      await this.limiter.clear(limits);
      return;
    }
    if (left === 0) {
      await this.challenge.burn(principal);
    }
    throw new OtpInvalidException();
  }

  /** Reserves a try, then asks the `PasswordVerifier`. */
  protected async checkPassword(principal: Principal, password: unknown): Promise<void> {
    const verifier = this.passwordVerifier;
    if (verifier === undefined) {
      throw ApiErrorsConfigurationError.create(
        'the critical-auth policy chose "password" but no password verifier is configured',
        'Set criticalAuth.passwordVerifier',
      );
    }
    const isRight = await this.limiter.attempt(
      this.passwordLimits(principal),
      async () => typeof password === 'string' && (await callDependency(() => verifier.verify(principal, password))),
      [MESSAGES.tooManyPasswords],
    );
    if (!isRight) {
      throw new PasswordInvalidException();
    }
  }
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
