import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import type { ApiErrorsModuleOptions } from '../../api-errors-options.interface.js';
import { API_ERRORS_MODULE_OPTIONS } from '../../api-errors.module-definition.js';
import {
  CriticalAuthRequiredException,
  OtpInvalidException,
  PasswordInvalidException,
  type CriticalAuthMethod,
} from '../../exceptions/contract.exceptions.js';
import { RateLimitExceededException } from '../../exceptions/extension.exceptions.js';
import { API_ERRORS_STORE, type ApiErrorsStore } from '../../stores/api-errors-store.interface.js';
import { MemoryStore } from '../../stores/memory.store.js';
import { callDependency } from '../dependency-call.js';
import { bodyField, httpRequest, pathAndQuery, removeBodyField, type GuardRequest } from '../guard-request.js';
import { PRINCIPAL_KEY, type Principal } from '../principal.interface.js';
import {
  CRITICAL_AUTH_POLICY,
  OTP_FIELD,
  OTP_SENDER,
  PASSWORD_FIELD,
  PASSWORD_VERIFIER,
  type CriticalAuthPolicy,
  type OtpSender,
  type PasswordVerifier,
} from './critical-auth.interfaces.js';

/** Settings of critical-change authentication, with their defaults. */
export interface CriticalAuthSettings {
  /** How long an OTP is valid, in seconds. @default 300 */
  otpTtlSeconds?: number;
  /** Wrong tries after which an OTP is burnt. @default 5 */
  otpMaxAttempts?: number;
  /** Shortest time between two OTPs sent to one principal, in seconds. @default 30 */
  otpResendIntervalSeconds?: number;
  /** Wrong passwords accepted per principal within `passwordWindowSeconds`. @default 5 */
  passwordMaxAttempts?: number;
  /** The window of `passwordMaxAttempts`, in seconds. @default 900 */
  passwordWindowSeconds?: number;
  /**
   * Key of the HMAC that OTPs are stored under (never in clear). Required with a shared store (Redis),
   * where every instance must compute the same hash; a `MemoryStore` gets a random one.
   */
  otpSecret?: string;
}

const OTP_FORMAT = /^[0-9]{6}$/;

/**
 * `@CriticalAuth()`: the request changes something critical, so the principal re-authenticates with
 * the method the policy chose for it.
 *
 * - No `password` / `otp` field → 403 `critical.auth.required` with `critical_auth_method`. For
 *   `otp`, a 6-digit code is generated, stored only as an HMAC bound to the principal and to this very
 *   operation (method, path and query, and a digest of the body without `otp` / `password`), and
 *   sent through the `OtpSender`; re-sends are throttled (429 `request.rate.exceeded`).
 * - The same request repeated with the right `otp` passes once, even when sent many times at once
 *   (compare-and-delete in the store). A wrong code, a code for another operation, an expired, used
 *   or replaced one, or any code after `otpMaxAttempts` wrong tries → 401 `auth.otp.invalid`.
 * - `password` is checked by the `PasswordVerifier` → 401 `auth.password.invalid`; wrong passwords
 *   are counted per principal and throttled (429).
 * - Only the chosen method is accepted. Both fields are removed from the body before pipes run.
 */
@Injectable()
export class CriticalAuthGuard implements CanActivate {
  private readonly settings: Required<Omit<CriticalAuthSettings, 'otpSecret'>>;
  private readonly otpSecret: string;

  constructor(
    @Inject(API_ERRORS_STORE) private readonly store: ApiErrorsStore,
    @Inject(API_ERRORS_MODULE_OPTIONS) options: ApiErrorsModuleOptions,
    @Optional() @Inject(CRITICAL_AUTH_POLICY) private readonly policy?: CriticalAuthPolicy,
    @Optional() @Inject(PASSWORD_VERIFIER) private readonly passwordVerifier?: PasswordVerifier,
    @Optional() @Inject(OTP_SENDER) private readonly otpSender?: OtpSender,
  ) {
    const settings = options.criticalAuth ?? {};
    this.settings = {
      otpTtlSeconds: settings.otpTtlSeconds ?? 300,
      otpMaxAttempts: settings.otpMaxAttempts ?? 5,
      otpResendIntervalSeconds: settings.otpResendIntervalSeconds ?? 30,
      passwordMaxAttempts: settings.passwordMaxAttempts ?? 5,
      passwordWindowSeconds: settings.passwordWindowSeconds ?? 900,
    };
    if (settings.otpSecret === undefined && !(store instanceof MemoryStore) && options.criticalAuth?.otpSender !== undefined) {
      throw ApiErrorsConfigurationError.create(
        'criticalAuth.otpSecret is missing while OTPs live in a shared store',
        'Give every instance the same criticalAuth.otpSecret (32 random bytes, from your secrets manager)',
      );
    }
    this.otpSecret = settings.otpSecret ?? randomBytes(32).toString('base64');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = httpRequest(context);
    const principal = request[PRINCIPAL_KEY] as Principal | undefined;
    if (principal === undefined) {
      throw ApiErrorsConfigurationError.create(
        'a @CriticalAuth() route ran without an authenticated principal',
        'Put AuthorizationGuard (@RequireAuthorization()) before CriticalAuthGuard, or use the @CriticalAuth() decorator, which does',
      );
    }
    const password = bodyField(request, PASSWORD_FIELD);
    const otp = bodyField(request, OTP_FIELD);
    removeBodyField(request, PASSWORD_FIELD);
    removeBodyField(request, OTP_FIELD);
    const method = await this.methodFor(principal);
    if (method === 'otp') {
      if (otp === undefined || otp === null || otp === '') {
        return this.issueOtp(principal, request);
      }
      await this.checkOtp(principal, request, otp);
    } else {
      if (password === undefined || password === null || password === '') {
        throw new CriticalAuthRequiredException('password');
      }
      await this.checkPassword(principal, password);
    }
    return true;
  }

  private async methodFor(principal: Principal): Promise<CriticalAuthMethod> {
    if (this.policy === undefined) {
      return this.passwordVerifier !== undefined ? 'password' : 'otp';
    }
    const policy = this.policy;
    const method = await callDependency(() => policy.methodFor(principal));
    if (method !== 'password' && method !== 'otp') {
      throw ApiErrorsConfigurationError.create(`the critical-auth policy chose "${String(method)}"`, "Return 'password' or 'otp'");
    }
    return method;
  }

  private async issueOtp(principal: Principal, request: GuardRequest): Promise<never> {
    const sender = this.otpSender;
    if (sender === undefined) {
      throw ApiErrorsConfigurationError.create('the critical-auth policy chose "otp" but no OTP sender is configured', 'Set criticalAuth.otpSender');
    }
    const { otpTtlSeconds, otpResendIntervalSeconds } = this.settings;
    const throttleKey = `otp-resend:${principal.id}`;
    const mayResend = await callDependency(() => this.store.setIfAbsent(throttleKey, '1', otpResendIntervalSeconds));
    if (!mayResend) {
      const wait = await callDependency(() => this.store.ttlSeconds(throttleKey));
      throw new RateLimitExceededException(wait ?? otpResendIntervalSeconds, [
        'A one-time password was sent moments ago; repeat the request with it, or wait before asking for another.',
      ]);
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const record = JSON.stringify({ hash: this.hash(principal, request, code), at: Date.now() });
    await callDependency(async () => {
      await this.store.set(`otp:${principal.id}`, record, otpTtlSeconds);
      await this.store.delete(`otp-fails:${principal.id}`);
    });
    try {
      await callDependency(() => sender.send({ principal, code, expiresInSeconds: otpTtlSeconds }));
    } catch (error) {
      await this.store.delete(throttleKey).catch(() => undefined);
      throw error;
    }
    throw new CriticalAuthRequiredException('otp');
  }

  private async checkOtp(principal: Principal, request: GuardRequest, otp: unknown): Promise<void> {
    const key = `otp:${principal.id}`;
    const record = await callDependency(() => this.store.get(key));
    if (record === undefined) {
      throw new OtpInvalidException();
    }
    const stored = (JSON.parse(record) as { hash: string }).hash;
    const presented = typeof otp === 'string' && OTP_FORMAT.test(otp) ? this.hash(principal, request, otp) : '';
    const matches = presented.length === stored.length && timingSafeEqual(Buffer.from(presented), Buffer.from(stored));
    if (!matches) {
      await callDependency(async () => {
        const fails = await this.store.increment(`otp-fails:${principal.id}`, this.settings.otpTtlSeconds);
        if (fails >= this.settings.otpMaxAttempts) {
          await this.store.deleteIfEquals(key, record);
        }
      });
      throw new OtpInvalidException();
    }
    // Of concurrent requests with the right code, exactly one deletes it, and only that one passes.
    const consumed = await callDependency(() => this.store.deleteIfEquals(key, record));
    if (!consumed) {
      throw new OtpInvalidException();
    }
    await callDependency(() => this.store.delete(`otp-fails:${principal.id}`));
  }

  private async checkPassword(principal: Principal, password: unknown): Promise<void> {
    const verifier = this.passwordVerifier;
    if (verifier === undefined) {
      throw ApiErrorsConfigurationError.create(
        'the critical-auth policy chose "password" but no password verifier is configured',
        'Set criticalAuth.passwordVerifier',
      );
    }
    const failsKey = `password-fails:${principal.id}`;
    const { passwordMaxAttempts, passwordWindowSeconds } = this.settings;
    const fails = Number((await callDependency(() => this.store.get(failsKey))) ?? 0);
    if (fails >= passwordMaxAttempts) {
      const wait = await callDependency(() => this.store.ttlSeconds(failsKey));
      throw new RateLimitExceededException(wait ?? passwordWindowSeconds, ['Too many wrong passwords; wait before trying again.']);
    }
    const isRight = typeof password === 'string' && (await callDependency(() => verifier.verify(principal, password)));
    if (!isRight) {
      await callDependency(() => this.store.increment(failsKey, passwordWindowSeconds));
      throw new PasswordInvalidException();
    }
    await callDependency(() => this.store.delete(failsKey));
  }

  /** HMAC of the code, bound to the principal and to the operation: method, path, query and body. */
  private hash(principal: Principal, request: GuardRequest, code: string): string {
    const { path, query } = pathAndQuery(request);
    const operation = createHash('sha256')
      .update(`${request.method.toUpperCase()} ${path}?${query}\n${canonicalJson(request.body)}`)
      .digest('base64');
    return createHmac('sha256', this.otpSecret).update(`${principal.id}\n${operation}\n${code}`).digest('base64');
  }
}

/** JSON with object keys sorted, so that the same body in another key order is the same operation. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map(key => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
