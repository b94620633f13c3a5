import type { CriticalAuthMethod } from '../../exceptions/contract.exceptions.js';
import type { Principal } from '../principal.interface.js';

/** Chooses how a principal re-authenticates a critical change. */
export interface CriticalAuthPolicy {
  methodFor(principal: Principal): CriticalAuthMethod | Promise<CriticalAuthMethod>;
}

/** Checks a principal's current password (against your user store, with your password hash). */
export interface PasswordVerifier {
  /** `true` for the right password. Throw when it cannot be checked (the answer is then 503). */
  verify(principal: Principal, password: string): Promise<boolean>;
}

/** What an `OtpSender` is asked to deliver. */
export interface OtpMessage {
  principal: Principal;
  /** The one-time password: deliver it, never log it. */
  code: string;
  /** How long it is valid, in seconds. */
  expiresInSeconds: number;
}

/** Delivers one-time passwords: an SMS gateway in production. */
export interface OtpSender {
  /** Throw when it cannot be delivered (the answer is then 503). */
  send(message: OtpMessage): Promise<void>;
}

/** Injection tokens of the critical-auth collaborators. */
export const CRITICAL_AUTH_POLICY = Symbol.for('nestjs-api-errors.critical-auth-policy');
export const PASSWORD_VERIFIER = Symbol.for('nestjs-api-errors.password-verifier');
export const OTP_SENDER = Symbol.for('nestjs-api-errors.otp-sender');

/** The re-authentication secrets a request presents (each `undefined` when absent). */
export interface PresentedSecrets {
  password: unknown;
  otp: unknown;
}
