import type { AttemptLimit } from '../../limits/attempt-limiter.js';
import type { ResolvedCriticalAuthSettings } from '../../options/critical-auth.options.js';
import { STORE_KEYS } from '../../stores/store-keys.js';
import type { Principal } from '../principal.interface.js';

const DAY_SECONDS = 86_400;

/** The messages of the 429 answers of a critical-change re-authentication. */
export const CRITICAL_AUTH_LIMIT_MESSAGES = {
  resendWait:
    'A one-time password was sent moments ago; repeat the request with it, or wait before asking for another.',
  tooManySends: 'Too many one-time passwords were sent today; wait before asking for another.',
  tooManyCodes: 'Too many wrong one-time passwords; wait before trying again.',
  tooManyPasswords: 'Too many wrong passwords; wait before trying again.',
} as const;

/** The counters every OTP try is reserved under: the attempt window, and the lock-out. */
export function otpAttemptLimits(settings: ResolvedCriticalAuthSettings, principal: Principal): AttemptLimit[] {
  const { otpMaxAttempts, otpAttemptWindowSeconds, otpMaxConsecutiveFailures, otpLockoutSeconds } = settings;
  return [
    { key: STORE_KEYS.otpAttempts(principal.id), maxAttempts: otpMaxAttempts, windowSeconds: otpAttemptWindowSeconds },
    {
      key: STORE_KEYS.otpConsecutiveAttempts(principal.id),
      maxAttempts: otpMaxConsecutiveFailures,
      windowSeconds: otpLockoutSeconds,
    },
  ];
}

/** The counter of the codes sent to a principal in a day. */
export function otpSendLimits(settings: ResolvedCriticalAuthSettings, principal: Principal): AttemptLimit[] {
  return [
    { key: STORE_KEYS.otpSends(principal.id), maxAttempts: settings.otpMaxSendsPerDay, windowSeconds: DAY_SECONDS },
  ];
}

/** The counter every password try is reserved under. */
export function passwordAttemptLimits(settings: ResolvedCriticalAuthSettings, principal: Principal): AttemptLimit[] {
  const { passwordMaxAttempts, passwordWindowSeconds } = settings;
  return [
    {
      key: STORE_KEYS.passwordAttempts(principal.id),
      maxAttempts: passwordMaxAttempts,
      windowSeconds: passwordWindowSeconds,
    },
  ];
}
