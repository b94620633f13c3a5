import type { Redis, RedisOptions } from 'ioredis';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { RedisConnectionOptions, RedisStoreClient } from './redis-store-options.interface.js';

/** What a store call rejects with when Redis is not there or does not answer in time. */
export function unavailable(message: string): Error {
  const error = new Error(`RedisStore: ${message}`);
  error.name = 'RedisStoreUnavailableError';
  return error;
}

/**
 * A connection of the store's own, made to fail fast: no offline queue, one retry, reconnection every
 * `maxReconnectDelayMs` at most. ioredis is an optional peer dependency, loaded only here.
 */
export async function connectByUrl(
  url: string,
  redisOptions: RedisConnectionOptions | undefined,
  timing: { connectTimeoutMs: number; commandTimeoutMs: number; maxReconnectDelayMs: number },
): Promise<RedisStoreClient> {
  const { connectTimeoutMs, commandTimeoutMs, maxReconnectDelayMs } = timing;
  let RedisClient: typeof Redis;
  try {
    ({ Redis: RedisClient } = await import('ioredis'));
  } catch (error) {
    throw ApiErrorsConfigurationError.create(
      `RedisStore needs the "ioredis" package (${String(error)})`,
      'Install it: npm install ioredis',
    );
  }
  const client = new RedisClient(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    // No ioredis commandTimeout: its timer counts event-loop lag (see commandTimeoutMs). A socket
    // that answers nothing for this long while calls wait is taken as dead and reconnected, so that
    // calls given up on do not pile up in the client while Redis hangs.
    socketTimeout: Math.max(10_000, 10 * commandTimeoutMs),
    retryStrategy: times => Math.min(times * 100, maxReconnectDelayMs),
    // Our options type is ioredis's, written loosely so that the package's types do not need ioredis.
    ...(redisOptions as RedisOptions | undefined),
  });
  // ioredis reports connection errors as events; without a listener Node would print each of them.
  client.on('error', () => {});
  // Wait for the first connection, but do not stop the application from starting when Redis is
  // down: guards answer 503 until it is back.
  await ready(client, connectTimeoutMs);
  return client;
}

/** Resolves once `client` is ready, or after `timeoutMs` in any case. */
export async function ready(client: RedisStoreClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') {
    return;
  }
  await new Promise<void>(resolve => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}
