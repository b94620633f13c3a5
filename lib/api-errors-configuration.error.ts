import { brandClass, isInstanceInAnyCopy } from './exceptions/same-class-in-every-copy.js';

/**
 * Thrown at start-up (or where a catalogue is defined) when the package is configured wrongly. The
 * message says what is wrong and how to put it right.
 */
export class ApiErrorsConfigurationError extends Error {
  override readonly name = 'ApiErrorsConfigurationError';

  /** True for the errors of this class thrown by another copy of the package too (its CommonJS or ES module build). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceInAnyCopy(this, value);
  }

  static create(what: string, fix: string): ApiErrorsConfigurationError {
    return new ApiErrorsConfigurationError(`nestjs-api-errors: ${what}. ${fix}`);
  }
}

brandClass(ApiErrorsConfigurationError, 'ApiErrorsConfigurationError');
