import { Inject, Injectable } from '@nestjs/common';
import { RateLimitExceededException } from '../exceptions/extension.exceptions.js';
import type { ApiErrorMessagesInput } from '../exceptions/api-error-messages.js';
import { callDependency } from '../guards/dependency-call.js';
import { API_ERRORS_STORE, type ApiErrorsStore } from '../stores/api-errors-store.interface.js';

/** One counter of attempts: at most `maxAttempts` within `windowSeconds` from the first one. */
export interface AttemptLimit {
  /** The counter's store key, e.g. `sign-in:account:42` or `sign-in:ip:203.0.113.7`. */
  key: string;
  /** Attempts allowed in one window (the right one included). */
  maxAttempts: number;
  /** Length of the window, in seconds, counted from the first attempt. */
  windowSeconds: number;
  /**
   * Whether a success (`attempt()`, `succeeded()`) clears this counter. Keep `false` for counters shared by many
   * principals (per client IP), which one valid account must not be able to reset.
   * @default true
   */
  clearOnSuccess?: boolean;
}

const DEFAULT_MESSAGE = 'Too many attempts; wait before trying again.';

/**
 * Limits guesses (passwords, one-time codes, second factors) so that they hold under concurrency: an
 * attempt is reserved, with one atomic increment per counter, *before* the secret is checked. Of any
 * number of parallel requests, at most `maxAttempts` ever reach the check; the others answer 429
 * `request.rate.exceeded` with `retry_after`. A success clears the counters.
 *
 * @example
 * const limits = [{ key: `sign-in:${loginId}`, maxAttempts: 5, windowSeconds: 900 }];
 * await limiter.attempt(limits, () => passwords.verify(loginId, password)); // false → count stays
 */
@Injectable()
export class AttemptLimiter {
  constructor(@Inject(API_ERRORS_STORE) protected readonly store: ApiErrorsStore) {}

  /**
   * Counts one attempt under every limit and throws 429 when any of them is now over its maximum
   * (`retry_after`: the longest wait among those). A store that cannot answer throws 503. Returns how
   * many attempts are left after this one under the tightest limit (0: this was the last).
   */
  async reserve(limits: readonly AttemptLimit[], messages: ApiErrorMessagesInput = [DEFAULT_MESSAGE]): Promise<number> {
    const counts = await callDependency(() =>
      Promise.all(limits.map(limit => this.store.increment(limit.key, limit.windowSeconds))),
    );
    const left = limits.map((limit, index) => limit.maxAttempts - (counts[index] ?? 0));
    const over = limits.filter((_limit, index) => (left[index] ?? 0) < 0);
    if (over.length > 0) {
      throw new RateLimitExceededException(await this.waitSeconds(over), messages);
    }
    return Math.min(...left);
  }

  /**
   * Throws 429 when any limit is used up already, without counting an attempt: for steps that lead to
   * an attempt (sending a code) and are pointless while it would be refused.
   */
  async assertOpen(
    limits: readonly AttemptLimit[],
    messages: ApiErrorMessagesInput = [DEFAULT_MESSAGE],
  ): Promise<void> {
    const counts = await callDependency(() => Promise.all(limits.map(limit => this.store.get(limit.key))));
    const over = limits.filter((limit, index) => Number(counts[index] ?? 0) >= limit.maxAttempts);
    if (over.length > 0) {
      throw new RateLimitExceededException(await this.waitSeconds(over), messages);
    }
  }

  /** Clears the counters, whatever they are. */
  async clear(limits: readonly AttemptLimit[]): Promise<void> {
    await callDependency(() => Promise.all(limits.map(limit => this.store.delete(limit.key))));
  }

  /** The attempt succeeded: clears its counters but those marked `clearOnSuccess: false`. */
  async succeeded(limits: readonly AttemptLimit[]): Promise<void> {
    await this.clear(limits.filter(limit => limit.clearOnSuccess !== false));
  }

  /**
   * Reserves an attempt, then runs `check`: `true` clears the counters (those not marked
   * `clearOnSuccess: false`), `false` leaves the attempt counted. What `check` throws passes through,
   * the attempt counted.
   */
  async attempt(
    limits: readonly AttemptLimit[],
    check: () => boolean | Promise<boolean>,
    messages?: ApiErrorMessagesInput,
  ): Promise<boolean> {
    await this.reserve(limits, messages);
    const passed = await check();
    if (passed) {
      await this.succeeded(limits);
    }
    return passed;
  }

  private async waitSeconds(over: readonly AttemptLimit[]): Promise<number> {
    const ttls = await callDependency(() => Promise.all(over.map(limit => this.store.ttlSeconds(limit.key))));
    return Math.max(...over.map((limit, index) => ttls[index] ?? limit.windowSeconds));
  }
}
