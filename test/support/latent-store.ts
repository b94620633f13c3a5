import type { ApiErrorsStore } from 'nestjs-api-errors';

/**
 * A store that answers like one across a network: every operation is carried out by the wrapped store
 * and answered `delayMs` later (a few milliseconds, with jitter). A `MemoryStore` answers within one
 * event-loop turn and hides races that Redis shows; concurrency tests run through this one too.
 */
export function withLatency(store: ApiErrorsStore, delayMs = 3, jitterMs = 2): ApiErrorsStore {
  const later = async <T>(operation: () => Promise<T>): Promise<T> => {
    await new Promise(resolve => setTimeout(resolve, delayMs + Math.random() * jitterMs));
    const result = await operation();
    await new Promise(resolve => setTimeout(resolve, Math.random() * jitterMs));
    return result;
  };
  return {
    set: (key, value, ttl) => later(() => store.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) => later(() => store.setIfAbsent(key, value, ttl)),
    get: key => later(() => store.get(key)),
    getAndDelete: key => later(() => store.getAndDelete(key)),
    deleteIfEquals: (key, value) => later(() => store.deleteIfEquals(key, value)),
    increment: (key, ttl) => later(() => store.increment(key, ttl)),
    delete: key => later(() => store.delete(key)),
    ttlSeconds: key => later(() => store.ttlSeconds(key)),
  };
}
