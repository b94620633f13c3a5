import type { ApiErrorsStore } from 'nestjs-api-errors';

export interface StoreUnderTest extends ApiErrorsStore {
  onModuleDestroy(): unknown;
}

export interface StoreBehaviourOptions {
  /** A new, empty store; a store on a fake clock reads `clock`. */
  make: (clock: () => number) => Promise<StoreUnderTest>;
  /** Whether the store keeps time with `clock`; Redis keeps its own, so expiry is checked with a short real TTL there. */
  fakeClock: boolean;
}

/**
 * What every `ApiErrorsStore` must do, as one set of tests: call it inside a `describe` of each store
 * (MemoryStore, RedisStore on one server, RedisStore on a Redis Cluster).
 */
export function storeBehaviour({ make, fakeClock }: StoreBehaviourOptions): void {
  let now = Date.now();
  let store: StoreUnderTest;
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

  it('keeps keys apart: every operation on many keys at once touches its own key only', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    await Promise.all(keys.map((key, i) => store.set(key, String(i), 60)));
    expect(await Promise.all(keys.map(key => store.get(key)))).toEqual(keys.map((_, i) => String(i)));
    expect(await Promise.all(keys.map(key => store.increment(`${key}:count`, 60)))).toEqual(keys.map(() => 1));
    expect(await Promise.all(keys.map((key, i) => store.deleteIfEquals(key, String(i))))).toEqual(keys.map(() => true));
    expect(await Promise.all(keys.map(key => store.getAndDelete(`${key}:count`)))).toEqual(keys.map(() => '1'));
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
}
