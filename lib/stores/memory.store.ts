import type { OnModuleDestroy } from '@nestjs/common';
import type { ApiErrorsStore } from './api-errors-store.interface.js';
import { resolveMemoryStoreOptions } from '../options/store-options.js';
import { popMin, pushItem, type ExpiryItem } from './expiry-heap.js';

/** A value and when it expires (ms). */
interface Entry {
  value: string;
  expiresAt: number;
}

type Expiry = ExpiryItem<Entry>;

export interface MemoryStoreOptions {
  /** How often expired entries are swept, in milliseconds. @default 60000 */
  sweepIntervalMs?: number;
  /**
   * The most entries the store holds. When it is full, an operation that would add an entry (`set` or
   * `setIfAbsent` of an absent key, `increment` of an absent counter) first drops the expired entries;
   * if the store is still full it rejects, and the guards answer 503 `server.unavailable`: a nonce or
   * a counter that cannot be kept is refused, never taken as new. Existing entries still update.
   * @default 100000
   */
  maxEntries?: number;
  /** The clock, in milliseconds (tests pass a fake one). @default Date.now */
  now?: () => number;
}

/**
 * The default store: a map in this process, of at most `maxEntries` entries. Right for one instance;
 * with several, use `RedisStore`. Expired entries are dropped when read, swept on a timer that does
 * not keep the process alive and stops when the application closes, and dropped first when the store
 * is full (in expiry order: the cost is that of the entries dropped, not of the whole map).
 */
export class MemoryStore implements ApiErrorsStore, OnModuleDestroy {
  readonly #entries = new Map<string, Entry>();
  /** A min-heap of expiry times (with stale items, dropped as they surface or when it is rebuilt). */
  #expiries: Expiry[] = [];
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(options: MemoryStoreOptions = {}) {
    const { maxEntries, sweepIntervalMs, now } = resolveMemoryStoreOptions(options);
    this.#maxEntries = maxEntries;
    this.#now = now;
    this.#timer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.#timer.unref();
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.makeRoomFor(key);
    this.put(key, value, this.#now() + ttlSeconds * 1000);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key) !== undefined) {
      return false;
    }
    this.makeRoomFor(key);
    this.put(key, value, this.#now() + ttlSeconds * 1000);
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
    if (entry !== undefined) {
      const count = Number(entry.value) + 1;
      entry.value = String(count);
      return count;
    }
    this.makeRoomFor(key);
    this.put(key, '1', this.#now() + ttlSeconds * 1000);
    return 1;
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

  /** The most entries the store holds (`maxEntries`). */
  get maxEntries(): number {
    return this.#maxEntries;
  }

  /** Drops every expired entry. */
  sweep(): void {
    const now = this.#now();
    const heap = this.#expiries;
    while (heap.length > 0 && (heap[0] as Expiry).expiresAt <= now) {
      const { key, entry } = popMin(heap);
      if (this.#entries.get(key) === entry) {
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

  /** Throws when `key` would be a new entry and the store is full even without its expired entries. */
  private makeRoomFor(key: string): void {
    if (this.#entries.size < this.#maxEntries || this.#entries.has(key)) {
      return;
    }
    this.sweep();
    if (this.#entries.size >= this.#maxEntries) {
      throw new Error(`MemoryStore is full (maxEntries: ${this.#maxEntries} live entries): the entry is refused`);
    }
  }

  private put(key: string, value: string, expiresAt: number): void {
    const entry = { value, expiresAt };
    this.#entries.set(key, entry);
    pushItem(this.#expiries, { expiresAt, key, entry });
    // Replaced and deleted entries leave stale items behind: rebuild when they outnumber the live ones.
    if (this.#expiries.length > 2 * this.#entries.size + 1024) {
      this.#expiries = [];
      for (const [liveKey, liveEntry] of this.#entries) {
        pushItem(this.#expiries, { expiresAt: liveEntry.expiresAt, key: liveKey, entry: liveEntry });
      }
    }
  }
}
