/**
 * Every key the package writes to the `ApiErrorsStore`, in one place. Each operation touches one key,
 * so that a Redis Cluster can serve every one of them. The store adds its own prefix.
 */
export const STORE_KEYS = {
  /** The live OTP of a principal (its HMAC, bound to the operation). */
  otp: (principalId: string) => `otp:${principalId}`,
  /** Set while a principal may not be sent another OTP yet. */
  otpResend: (principalId: string) => `otp-resend:${principalId}`,
  /** OTPs sent to a principal in the current day. */
  otpSends: (principalId: string) => `otp-sends:${principalId}`,
  /** OTP tries of a principal in the current attempt window, across re-issued codes. */
  otpAttempts: (principalId: string) => `otp-attempts:${principalId}`,
  /** OTP tries of a principal since its last success (the lock-out counter). */
  otpConsecutiveAttempts: (principalId: string) => `otp-consecutive:${principalId}`,
  /** Password tries of a principal in the current window. */
  passwordAttempts: (principalId: string) => `password-attempts:${principalId}`,
  /** A signature nonce already seen for a key id. */
  signatureNonce: (keyId: string, nonce: string) => `nonce:${keyId}:${nonce}`,
} as const;
