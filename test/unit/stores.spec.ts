import { jest } from '@jest/globals';
import { MemoryStore, RedisStore } from 'nestjs-api-errors';
import { redisSkipReason } from '../support/redis-server.mjs';
import { storeBehaviour, type StoreBehaviourOptions } from '../support/store-behaviour.js';

interface StoreCase extends StoreBehaviourOptions {
  name: string;
}

const skipRedis = redisSkipReason();
let prefix = 0;

const cases: StoreCase[] = [
  { name: 'MemoryStore', make: async clock => new MemoryStore({ now: clock }), fakeClock: true },
  ...(skipRedis === undefined
    ? [
        {
          name: 'RedisStore',
          make: () => RedisStore.create({ url: process.env.REDIS_URL, keyPrefix: `test-${process.pid}-${++prefix}:` }),
          fakeClock: false,
        },
      ]
    : []),
];

if (skipRedis !== undefined) {
  // Said once, in the output of the run: what was not tested and why.
  console.warn(skipRedis);
}

describe.each(cases)('$name', storeCase => storeBehaviour(storeCase));

describe('MemoryStore housekeeping', () => {
  it('sweeps expired entries so they do not pile up', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    for (let i = 0; i < 1000; i++) {
      await store.set(`nonce:${i}`, '1', 10);
    }
    expect(store.size).toBe(1000);
    now += 11_000;
    store.sweep();
    expect(store.size).toBe(0);
    store.onModuleDestroy();
  });

  it('sweeps on its timer, dropping only what has expired by its clock', async () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const store = new MemoryStore({ now: () => now, sweepIntervalMs: 10 });
      await store.set('short', '1', 5);
      await store.set('long', '1', 60);
      jest.advanceTimersByTime(40);
      expect(store.size).toBe(2);
      now += 6_000;
      jest.advanceTimersByTime(9);
      expect(store.size).toBe(2); // not before its next tick
      jest.advanceTimersByTime(1);
      expect(store.size).toBe(1);
      expect(store.entries()).toEqual([['long', '1']]);
      store.onModuleDestroy();
      now += 60_000;
      jest.advanceTimersByTime(100);
      expect(store.size).toBe(1); // the timer stops with the store
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets replaced entries at their new expiry, however often a key was replaced', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    for (let i = 0; i < 5000; i++) {
      await store.set('otp', String(i), 10);
      now += 1;
    }
    now += 9_000;
    store.sweep();
    expect(await store.get('otp')).toBe('4999');
    now += 1_000;
    store.sweep();
    expect(store.size).toBe(0);
    store.onModuleDestroy();
  });
});

describe('MemoryStore when full', () => {
  let now = 0;
  let store: MemoryStore;
  beforeEach(() => {
    now = 0;
    store = new MemoryStore({ now: () => now, maxEntries: 3 });
  });
  afterEach(() => store.onModuleDestroy());

  it('holds 100,000 entries by default', () => {
    expect(new MemoryStore().maxEntries).toBe(100_000);
  });

  it('refuses a new nonce by rejecting, never by answering that it is new, and does not store it', async () => {
    for (const nonce of ['a', 'b', 'c']) {
      expect(await store.setIfAbsent(`nonce:${nonce}`, '1', 60)).toBe(true);
    }
    await expect(store.setIfAbsent('nonce:d', '1', 60)).rejects.toThrow(/MemoryStore is full/);
    expect(await store.get('nonce:d')).toBeUndefined();
    await expect(store.setIfAbsent('nonce:d', '1', 60)).rejects.toThrow(/full/);
    // A nonce already seen is still recognised as seen.
    expect(await store.setIfAbsent('nonce:a', '1', 60)).toBe(false);
    expect(store.size).toBe(3);
  });

  it('still counts existing counters and replaces existing entries, but refuses a new counter and a new entry', async () => {
    expect(await store.increment('count:x', 60)).toBe(1);
    await store.set('otp:1', 'h1', 60);
    await store.set('otp:2', 'h2', 60);
    expect(await store.increment('count:x', 60)).toBe(2);
    expect(await store.increment('count:x', 60)).toBe(3);
    await store.set('otp:1', 'h1-new', 60);
    expect(await store.get('otp:1')).toBe('h1-new');
    await expect(store.increment('count:y', 60)).rejects.toThrow(/full/);
    await expect(store.set('otp:3', 'h3', 60)).rejects.toThrow(/full/);
    expect(await store.get('count:y')).toBeUndefined();
    expect(await store.get('otp:3')).toBeUndefined();
  });

  it('makes room by dropping expired entries first, and only those', async () => {
    await store.setIfAbsent('nonce:old-1', '1', 10);
    await store.setIfAbsent('nonce:old-2', '1', 10);
    await store.increment('count:keep', 600);
    now += 11_000;
    expect(store.size).toBe(3); // expired, not swept yet
    expect(await store.setIfAbsent('nonce:new-1', '1', 60)).toBe(true);
    expect(store.size).toBe(2);
    expect(await store.increment('count:new', 60)).toBe(1);
    await expect(store.setIfAbsent('nonce:new-2', '1', 60)).rejects.toThrow(/full/);
    expect(await store.increment('count:keep', 600)).toBe(2);
    expect(
      store
        .entries()
        .map(([key]) => key)
        .sort(),
    ).toEqual(['count:keep', 'count:new', 'nonce:new-1']);
  });

  it('frees the room of deleted entries', async () => {
    await store.set('a', '1', 60);
    await store.set('b', '1', 60);
    await store.set('c', '1', 60);
    await store.getAndDelete('a');
    await store.deleteIfEquals('b', '1');
    await store.set('d', '1', 60);
    await store.set('e', '1', 60);
    await expect(store.set('f', '1', 60)).rejects.toThrow(/full/);
  });

  it('refuses a maxEntries that is not a whole number of at least 1', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(
      'nestjs-api-errors: MemoryStore maxEntries is the number 0, out of range',
    );
    expect(() => new MemoryStore({ maxEntries: 1.5 })).toThrow(
      'MemoryStore maxEntries is the number 1.5, not a whole number',
    );
    expect(() => new MemoryStore({ sweepIntervalMs: Number.NaN })).toThrow(
      'MemoryStore sweepIntervalMs is the number NaN, not a finite number',
    );
  });
});

describe('RedisStore when Redis is not there', () => {
  it('rejects at once instead of hanging', async () => {
    const store = await RedisStore.create({ url: 'redis://127.0.0.1:9', connectTimeoutMs: 200 });
    const started = Date.now();
    await expect(store.get('x')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    await store.onModuleDestroy();
  });

  it('refuses a timeout that is not a positive number of milliseconds', async () => {
    await expect(RedisStore.create({ url: 'redis://127.0.0.1:9', commandTimeoutMs: 0 })).rejects.toThrow(
      'RedisStore commandTimeoutMs is the number 0, out of range',
    );
    await expect(RedisStore.create({ url: 'redis://127.0.0.1:9', connectTimeoutMs: Number.NaN })).rejects.toThrow(
      /connectTimeoutMs/,
    );
  });
});
