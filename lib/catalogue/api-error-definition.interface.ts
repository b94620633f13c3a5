import type { ApiErrorFieldSpecs } from './api-error-field.js';

/**
 * One entry of an error catalogue: what a code means on the wire.
 */
export interface ApiErrorDefinition {
  /** HTTP status sent with the code (400–599). */
  readonly status: number;
  /** Default message, sent in `messages` when the thrower gives none. */
  readonly message: string;
  /** Name of the exception class that throws this code. */
  readonly exception: string;
  /**
   * Where the code comes from: `seed` for the published contract, `extension` for framework and
   * infrastructure errors the contract does not name, `app` for codes an application adds.
   */
  readonly origin: 'seed' | 'extension' | 'app';
  /** The extra body fields the code carries, e.g. `retry_after`. @default none */
  readonly fields?: ApiErrorFieldSpecs;
}

/** A definition together with its code, as the registry and the exceptions carry it. */
export interface ApiErrorEntry extends ApiErrorDefinition {
  readonly code: string;
}
