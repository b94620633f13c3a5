import type { MemoryStoreOptions } from '../stores/memory.store.js';
import type { RedisStoreOptions } from '../stores/redis-store-options.interface.js';
import { numberOption, stringOption } from './option-checks.js';

// The stores' options, checked and completed with their defaults, as the module's are (see resolve-options.ts).

export function resolveMemoryStoreOptions(options: MemoryStoreOptions) {
  return {
    maxEntries: numberOption('MemoryStore maxEntries', options.maxEntries, 100_000, { min: 1, max: 100_000_000 }),
    sweepIntervalMs: numberOption('MemoryStore sweepIntervalMs', options.sweepIntervalMs, 60_000, {
      min: 10,
      max: 3_600_000,
    }),
    now: options.now ?? Date.now,
  };
}

export function resolveRedisStoreOptions(options: RedisStoreOptions) {
  return {
    keyPrefix:
      options.keyPrefix === '' ? '' : (stringOption('RedisStore keyPrefix', options.keyPrefix) ?? 'api-errors:'),
    commandTimeoutMs: numberOption('RedisStore commandTimeoutMs', options.commandTimeoutMs, 1000, {
      min: 1,
      max: 60_000,
    }),
    connectTimeoutMs: numberOption('RedisStore connectTimeoutMs', options.connectTimeoutMs, 2000, {
      min: 1,
      max: 60_000,
    }),
    maxReconnectDelayMs: numberOption('RedisStore maxReconnectDelayMs', options.maxReconnectDelayMs, 1000, {
      min: 1,
      max: 60_000,
    }),
  };
}
