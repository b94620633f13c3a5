/**
 * Where the guards keep short-lived state: signature nonces, one-time passwords (as hashes), attempt
 * counters. Every operation is atomic, so that several instances of an API behind a load balancer
 * sharing one store behave as one. A store that cannot answer rejects; the guards then fail closed
 * with 503 `server.unavailable`.
 */
export interface ApiErrorsStore {
  /** Sets `key` to `value` for `ttlSeconds`, replacing what was there. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets `key` only if it is absent; `true` when this call set it. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** The value of `key`, or `undefined`. */
  get(key: string): Promise<string | undefined>;
  /** Reads and deletes `key` in one step: of concurrent callers, one gets the value. */
  getAndDelete(key: string): Promise<string | undefined>;
  /** Deletes `key` only if it still holds `value`; `true` when this call deleted it (compare-and-delete). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Adds one to the counter `key` (created at 0 with `ttlSeconds` when absent) and returns the new count. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Deletes `key`. */
  delete(key: string): Promise<void>;
  /** Seconds `key` has left to live, or `undefined` when it does not exist. */
  ttlSeconds(key: string): Promise<number | undefined>;
}

/** Injection token of the store. */
export const API_ERRORS_STORE = Symbol.for('nestjs-api-errors.store');
