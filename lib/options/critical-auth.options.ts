import { numberOption, secretOption } from './option-checks.js';

/** Settings of critical-change authentication (`criticalAuth` of the module's options). */
export interface CriticalAuthSettings {
  /** How long an OTP is valid, in seconds (30 to 3600). @default 300 */
  otpTtlSeconds?: number;
  /**
   * OTP tries per principal within `otpAttemptWindowSeconds` (1 to 10), counted across re-issued codes:
   * asking for a new code does not give new tries. The try that reaches it burns the live code; more
   * tries answer 429 until the window ends.
   * @default 5
   */
  otpMaxAttempts?: number;
  /** The window of `otpMaxAttempts`, in seconds from the first try (60 to 86400). @default 900 */
  otpAttemptWindowSeconds?: number;
  /**
   * OTP tries in a row without a success (1 to 100, the most NIST SP 800-63B allows) after which the
   * principal is locked out of OTP re-authentication, no code sent, until `otpLockoutSeconds` have passed
   * since the first of them. A success clears the count.
   * @default 20
   */
  otpMaxConsecutiveFailures?: number;
  /** How long the lock-out counter lives, in seconds from the first try (60 to 2592000). @default 86400 */
  otpLockoutSeconds?: number;
  /** Shortest time between two OTPs sent to one principal, in seconds (1 to 3600). @default 30 */
  otpResendIntervalSeconds?: number;
  /** OTPs sent to one principal per day (1 to 1000); more answer 429 with `retry_after`. @default 10 */
  otpMaxSendsPerDay?: number;
  /** Password tries per principal within `passwordWindowSeconds` (1 to 100). @default 5 */
  passwordMaxAttempts?: number;
  /** The window of `passwordMaxAttempts`, in seconds from the first try (1 to 2592000). @default 900 */
  passwordWindowSeconds?: number;
  /**
   * Key of the HMAC that OTPs are stored under (never in clear), 32 bytes or more. Required with a
   * shared store (Redis), where every instance must compute the same hash; a `MemoryStore` gets a
   * random one.
   */
  otpSecret?: string;
}

/** The settings with every default applied. */
export type ResolvedCriticalAuthSettings = Required<Omit<CriticalAuthSettings, 'otpSecret'>> & {
  otpSecret: string | undefined;
};

const DAY = 86_400;

/** Applies the defaults and checks every value; a wrong one stops the start-up, naming the option. */
export function resolveCriticalAuthSettings(
  settings: CriticalAuthSettings = {},
  path = 'criticalAuth',
): ResolvedCriticalAuthSettings {
  const option = (name: keyof CriticalAuthSettings, fallback: number, min: number, max: number): number =>
    numberOption(`${path}.${name}`, settings[name], fallback, { min, max });
  return {
    otpTtlSeconds: option('otpTtlSeconds', 300, 30, 3600),
    otpMaxAttempts: option('otpMaxAttempts', 5, 1, 10),
    otpAttemptWindowSeconds: option('otpAttemptWindowSeconds', 900, 60, DAY),
    otpMaxConsecutiveFailures: option('otpMaxConsecutiveFailures', 20, 1, 100),
    otpLockoutSeconds: option('otpLockoutSeconds', DAY, 60, 30 * DAY),
    otpResendIntervalSeconds: option('otpResendIntervalSeconds', 30, 1, 3600),
    otpMaxSendsPerDay: option('otpMaxSendsPerDay', 10, 1, 1000),
    passwordMaxAttempts: option('passwordMaxAttempts', 5, 1, 100),
    passwordWindowSeconds: option('passwordWindowSeconds', 900, 1, 30 * DAY),
    otpSecret: settings.otpSecret === undefined ? undefined : secretOption(`${path}.otpSecret`, settings.otpSecret),
  };
}
