import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ApiErrorsConfigurationError } from '../../api-errors-configuration.error.js';
import type { ResolvedCriticalAuthSettings } from '../../options/critical-auth.options.js';
import type { ApiErrorsStore } from '../../stores/api-errors-store.interface.js';
import { MemoryStore } from '../../stores/memory.store.js';
import { STORE_KEYS } from '../../stores/store-keys.js';
import { callDependency } from '../dependency-call.js';
import { pathAndQuery, type GuardRequest } from '../guard-request.js';
import type { Principal } from '../principal.interface.js';

const OTP_FORMAT = /^[0-9]{6}$/;

/** What a presented code turned out to be. */
export type OtpCheck = 'consumed' | 'wrong';

/**
 * The one-time password of a critical change: issued as 6 random digits, stored only as an HMAC bound
 * to the principal and to the very operation (method, path, query and the body without the
 * re-authentication fields, keys sorted), and consumed by compare-and-delete, so that of concurrent
 * requests with the right code exactly one passes.
 */
export class OtpChallenge {
  constructor(
    private readonly store: ApiErrorsStore,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * The challenge of the settings: their `otpSecret`, else a random one, which only a store of this
   * process (`MemoryStore`) may use; codes in a shared store need the same secret on every instance.
   */
  static create(store: ApiErrorsStore, settings: ResolvedCriticalAuthSettings, sendsOtps: boolean): OtpChallenge {
    if (settings.otpSecret === undefined && !(store instanceof MemoryStore) && sendsOtps) {
      throw ApiErrorsConfigurationError.create(
        'criticalAuth.otpSecret is missing while OTPs live in a shared store',
        'Give every instance the same criticalAuth.otpSecret (32 random bytes, from your secrets manager)',
      );
    }
    return new OtpChallenge(store, settings.otpSecret ?? randomBytes(32).toString('base64'), settings.otpTtlSeconds);
  }

  /** Makes and stores a new code for this principal and operation (replacing any earlier one); returns it. */
  async issue(principal: Principal, request: GuardRequest): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const hash = this.hash(principal, request, code);
    await callDependency(() => this.store.set(STORE_KEYS.otp(principal.id), hash, this.ttlSeconds));
    return code;
  }

  /** Compares a presented code with the live one in constant time and, when it matches, consumes it. */
  async consume(principal: Principal, request: GuardRequest, presented: unknown): Promise<OtpCheck> {
    const key = STORE_KEYS.otp(principal.id);
    const stored = await callDependency(() => this.store.get(key));
    if (stored === undefined) {
      return 'wrong';
    }
    const candidate =
      typeof presented === 'string' && OTP_FORMAT.test(presented) ? this.hash(principal, request, presented) : '';
    const matches = candidate.length === stored.length && timingSafeEqual(Buffer.from(candidate), Buffer.from(stored));
    if (!matches) {
      return 'wrong';
    }
    return (await callDependency(() => this.store.deleteIfEquals(key, stored))) ? 'consumed' : 'wrong';
  }

  /** Deletes the live code, whatever it is. */
  async burn(principal: Principal): Promise<void> {
    await callDependency(() => this.store.delete(STORE_KEYS.otp(principal.id)));
  }

  /** HMAC of the code, bound to the principal and to the operation. */
  protected hash(principal: Principal, request: GuardRequest, code: string): string {
    const { path, query } = pathAndQuery(request);
    const operation = createHash('sha256')
      .update(`${request.method.toUpperCase()} ${path}?${query}\n${canonicalJson(request.body)}`)
      .digest('base64');
    return createHmac('sha256', this.secret).update(`${principal.id}\n${operation}\n${code}`).digest('base64');
  }
}

/** Text already written out, as opposed to a value still to write (see `canonicalJson`). */
class Raw {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted, so that the same body in another key order is the same operation.
 * Written with a stack of its own rather than by recursion: a body nested thousands of levels deep is
 * hashed like any other instead of overflowing the call stack.
 */
export function canonicalJson(root: unknown): string {
  const out: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Raw) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      const parts: unknown[] = [new Raw('[')];
      item.forEach((element: unknown, index) => parts.push(...(index === 0 ? [] : [new Raw(',')]), element));
      parts.push(new Raw(']'));
      pushReversed(pending, parts);
    } else if (item !== null && typeof item === 'object') {
      const parts: unknown[] = [new Raw('{')];
      Object.keys(item)
        .sort()
        .forEach((key, index) =>
          parts.push(
            new Raw(`${index === 0 ? '' : ','}${JSON.stringify(key)}:`),
            (item as Record<string, unknown>)[key],
          ),
        );
      parts.push(new Raw('}'));
      pushReversed(pending, parts);
    } else {
      out.push(JSON.stringify(item) ?? 'null');
    }
  }
  return out.join('');
}

/** Pushes `items` last first, so that they pop in order (a loop: a spread of a huge array would throw). */
function pushReversed(stack: unknown[], items: readonly unknown[]): void {
  for (let index = items.length - 1; index >= 0; index--) {
    stack.push(items[index]);
  }
}
