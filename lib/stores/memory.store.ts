import type { OnModuleDestroy } from '@nestjs/common';
import type { ApiErrorsStore } from './api-errors-store.interface.js';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** How often expired entries are swept, in milliseconds. @default 60000 */
  sweepIntervalMs?: number;
  /** The clock, in milliseconds (tests pass a fake one). @default Date.now */
  now?: () => number;
}

/**
 * The default store: a map in this process. Right for one instance; with several, use `RedisStore`.
 * Expired entries are dropped when read and swept on a timer that does not keep the process alive and
 * stops when the application closes.
 */
export class MemoryStore implements ApiErrorsStore, OnModuleDestroy {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    this.#timer.unref();
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key) !== undefined) {
      return false;
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async getAndDelete(key: string): Promise<string | undefined> {
    const entry = this.live(key);
    this.#entries.delete(key);
    return entry?.value;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) {
      return false;
    }
    this.#entries.delete(key);
    return true;
  }

  async ttlSeconds(key: string): Promise<number | undefined> {
    const entry = this.live(key);
    return entry === undefined ? undefined : Math.max(0, Math.ceil((entry.expiresAt - this.#now()) / 1000));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const entry = this.live(key);
    const count = (entry === undefined ? 0 : Number(entry.value)) + 1;
    this.#entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? this.#now() + ttlSeconds * 1000 });
    return count;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** The live entries, as `[key, value]` (for tests and debugging). */
  entries(): [string, string][] {
    return [...this.#entries.keys()].flatMap(key => {
      const entry = this.live(key);
      return entry === undefined ? [] : [[key, entry.value] as [string, string]];
    });
  }

  /** How many entries are held, expired ones not yet swept included (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every expired entry. */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
      }
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  private live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
