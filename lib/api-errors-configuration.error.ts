/**
 * Thrown at start-up (or where a catalogue is defined) when the package is configured wrongly. The
 * message says what is wrong and how to put it right.
 */
export class ApiErrorsConfigurationError extends Error {
  override readonly name = 'ApiErrorsConfigurationError';

  static create(what: string, fix: string): ApiErrorsConfigurationError {
    return new ApiErrorsConfigurationError(`nestjs-api-errors: ${what}. ${fix}`);
  }
}
