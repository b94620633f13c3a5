import type { Provider } from '@nestjs/common';
import {
  RESOLVED_OPTIONS,
  resolvedOptionsProvider,
  type ResolvedApiErrorsOptions,
} from '../options/resolved-options.provider.js';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { API_ERRORS_STORE, type ApiErrorsStore } from '../stores/api-errors-store.interface.js';
import { MemoryStore } from '../stores/memory.store.js';
import { AttemptLimiter } from '../limits/attempt-limiter.js';
import { ACCESS_CHECK_GUARDS } from '../internal.constants.js';
import { ACCESS_CHECKS, type AccessGuard } from './access-checks.js';
import { ApiAccessGuard } from './api-access.guard.js';
import { API_KEY_VALIDATOR } from './api-key/api-key-validator.interface.js';
import { HashedApiKeyValidator } from './api-key/hashed-api-key.validator.js';
import { HmacSignatureVerifier } from './authorization/hmac-signature.verifier.js';
import { JwtTokenVerifier } from './authorization/jwt-token.verifier.js';
import { SIGNATURE_VERIFIER } from './authorization/signature-verifier.interface.js';
import { TOKEN_VERIFIER } from './authorization/token-verifier.interface.js';
import { CAPTCHA_VERIFIER, type CaptchaVerifier } from './captcha/captcha-verifier.interface.js';
import { SiteverifyCaptchaVerifier } from './captcha/siteverify-captcha.verifier.js';
import {
  CRITICAL_AUTH_POLICY,
  OTP_SENDER,
  PASSWORD_VERIFIER,
  type CriticalAuthPolicy,
} from './critical-auth/critical-auth.interfaces.js';

/** Answers every captcha check with a configuration error (logged as the cause of a 503). */
const unconfiguredCaptcha: CaptchaVerifier = {
  verify: () => {
    throw ApiErrorsConfigurationError.create(
      'a route requires a captcha but no captcha is configured',
      'Set the captcha option of ApiErrorsModule',
    );
  },
};

/** The guard of each access check, in the order of `ACCESS_CHECKS`. */
const accessGuards = ACCESS_CHECKS.map(check => check.guard);

/** The guards and their collaborators: each the user's own when the options give one, else the default. */
export const guardProviders: Provider[] = [
  resolvedOptionsProvider,
  {
    provide: API_ERRORS_STORE,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions): ApiErrorsStore => options.store ?? new MemoryStore(),
  },
  {
    provide: API_KEY_VALIDATOR,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions) =>
      options.apiKey.validator ?? new HashedApiKeyValidator(options.apiKey.keys),
  },
  {
    provide: TOKEN_VERIFIER,
    inject: [RESOLVED_OPTIONS],
    useFactory: ({ bearer }: ResolvedApiErrorsOptions) =>
      bearer === undefined ? undefined : 'verifier' in bearer ? bearer.verifier : new JwtTokenVerifier(bearer),
  },
  {
    provide: SIGNATURE_VERIFIER,
    inject: [RESOLVED_OPTIONS, API_ERRORS_STORE],
    useFactory: ({ signature }: ResolvedApiErrorsOptions, store: ApiErrorsStore) =>
      signature === undefined
        ? undefined
        : 'verifier' in signature
          ? signature.verifier
          : new HmacSignatureVerifier(signature, store),
  },
  {
    provide: CAPTCHA_VERIFIER,
    inject: [RESOLVED_OPTIONS],
    useFactory: ({ captcha }: ResolvedApiErrorsOptions) =>
      captcha === undefined
        ? unconfiguredCaptcha
        : 'verifier' in captcha
          ? captcha.verifier
          : new SiteverifyCaptchaVerifier(captcha),
  },
  {
    provide: CRITICAL_AUTH_POLICY,
    inject: [RESOLVED_OPTIONS],
    useFactory: ({ criticalAuth }: ResolvedApiErrorsOptions): CriticalAuthPolicy | undefined => {
      const policy = criticalAuth.policy;
      return typeof policy === 'function' ? { methodFor: policy } : policy;
    },
  },
  {
    provide: PASSWORD_VERIFIER,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions) => options.criticalAuth.passwordVerifier,
  },
  {
    provide: OTP_SENDER,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions) => options.criticalAuth.otpSender,
  },
  AttemptLimiter,
  ...accessGuards,
  {
    provide: ACCESS_CHECK_GUARDS,
    inject: accessGuards,
    useFactory: (...guards: AccessGuard[]): readonly AccessGuard[] => guards,
  },
  ApiAccessGuard,
];

/** What the module exports for guards used in other modules. */
export const guardExports = [
  RESOLVED_OPTIONS,
  API_ERRORS_STORE,
  API_KEY_VALIDATOR,
  TOKEN_VERIFIER,
  SIGNATURE_VERIFIER,
  CAPTCHA_VERIFIER,
  CRITICAL_AUTH_POLICY,
  PASSWORD_VERIFIER,
  OTP_SENDER,
  AttemptLimiter,
  ...accessGuards,
  ACCESS_CHECK_GUARDS,
  ApiAccessGuard,
];
