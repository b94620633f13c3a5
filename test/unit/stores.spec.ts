import { MemoryStore, RedisStore, type ApiErrorsStore } from 'nestjs-api-errors';
import { redisSkipReason } from '../support/redis-server.mjs';

interface StoreCase {
  name: string;
  make: (clock: () => number) => Promise<ApiErrorsStore & { onModuleDestroy(): unknown }>;
  /** Redis keeps its own time: expiry is checked with a short real TTL there. */
  fakeClock: boolean;
}

const skipRedis = redisSkipReason();
let prefix = 0;

const cases: StoreCase[] = [
  { name: 'MemoryStore', make: async clock => new MemoryStore({ now: clock }), fakeClock: true },
  ...(skipRedis === undefined
    ? [{ name: 'RedisStore', make: () => RedisStore.create({ url: process.env.REDIS_URL, keyPrefix: `test-${process.pid}-${++prefix}:` }), fakeClock: false }]
    : []),
];

if (skipRedis !== undefined) {
  // Said once, in the output of the run: what was not tested and why.
  console.warn(skipRedis);
}

describe.each(cases)('$name', ({ make, fakeClock }) => {
  let now = Date.now();
  let store: Awaited<ReturnType<StoreCase['make']>>;
  const later = async (seconds: number): Promise<void> => {
    if (fakeClock) {
      now += seconds * 1000;
    } else {
      await new Promise(resolve => setTimeout(resolve, seconds * 1000 + 100));
    }
  };

  beforeEach(async () => {
    now = Date.now();
    store = await make(() => now);
  });
  afterEach(() => store.onModuleDestroy());

  it('sets, gets and deletes', async () => {
    await store.set('a', '1', 60);
    expect(await store.get('a')).toBe('1');
    await store.set('a', '2', 60);
    expect(await store.get('a')).toBe('2');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });

  it('sets if absent, once', async () => {
    expect(await store.setIfAbsent('n', 'x', 60)).toBe(true);
    expect(await store.setIfAbsent('n', 'y', 60)).toBe(false);
    expect(await store.get('n')).toBe('x');
  });

  it('lets exactly one of 20 concurrent setIfAbsent win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('gets and deletes in one step: one of 20 concurrent callers gets the value', async () => {
    await store.set('otp', 'v', 60);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.getAndDelete('otp')));
    expect(results.filter(value => value === 'v')).toHaveLength(1);
    expect(await store.get('otp')).toBeUndefined();
  });

  it('deletes only if the value is still the expected one, once', async () => {
    await store.set('k', 'first', 60);
    expect(await store.deleteIfEquals('k', 'other')).toBe(false);
    expect(await store.get('k')).toBe('first');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.deleteIfEquals('k', 'first')));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('increments atomically, keeping the first expiry', async () => {
    const counts = await Promise.all(Array.from({ length: 20 }, () => store.increment('c', 60)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await store.ttlSeconds('c')).toBeGreaterThan(55);
  });

  it('forgets entries when they expire', async () => {
    await store.set('short', 'x', 1);
    await store.increment('count', 1);
    expect(await store.ttlSeconds('short')).toBe(1);
    await later(1);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.setIfAbsent('short', 'y', 60)).toBe(true);
    expect(await store.increment('count', 60)).toBe(1);
    expect(await store.ttlSeconds('missing')).toBeUndefined();
  });
});

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
});

describe('RedisStore when Redis is not there', () => {
  it('rejects at once instead of hanging', async () => {
    const store = await RedisStore.create({ url: 'redis://127.0.0.1:9' });
    const started = Date.now();
    await expect(store.get('x')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
    await store.onModuleDestroy();
  });
});
