import type { OnModuleDestroy } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorsStore } from './api-errors-store.interface.js';

export interface RedisStoreOptions {
  /** A connected ioredis client of yours (it is not closed by the store). */
  client?: Redis;
  /** Or a URL to connect to, e.g. `redis://127.0.0.1:6379/0`. */
  url?: string;
  /** Extra ioredis options when connecting by URL. */
  redisOptions?: RedisOptions;
  /** Prefix of every key. @default 'api-errors:' */
  keyPrefix?: string;
}

const INCREMENT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The store for several instances behind a load balancer: Redis through ioredis (an optional peer
 * dependency, loaded only when this store is made). Every multi-step operation is one atomic Redis
 * command or script (`SET NX EX`, `GETDEL`, Lua for increment-with-expiry and compare-and-delete), so
 * instances sharing one Redis behave as one.
 *
 * When connecting by URL, commands fail at once while Redis is unreachable (no offline queue, a one
 * second command timeout) so that guards answer 503 `server.unavailable` instead of hanging, and work
 * again as soon as ioredis has reconnected.
 */
export class RedisStore implements ApiErrorsStore, OnModuleDestroy {
  readonly #client: Redis;
  readonly #owned: boolean;
  readonly #prefix: string;

  private constructor(client: Redis, owned: boolean, prefix: string) {
    this.#client = client;
    this.#owned = owned;
    this.#prefix = prefix;
  }

  /** Makes a store on a client of yours, or on a connection to `url`. */
  static async create(options: RedisStoreOptions): Promise<RedisStore> {
    const prefix = options.keyPrefix ?? 'api-errors:';
    if (options.client !== undefined) {
      return new RedisStore(options.client, false, prefix);
    }
    if (options.url === undefined) {
      throw ApiErrorsConfigurationError.create('RedisStore needs a client or a url', 'Pass RedisStore.create({ url: process.env.REDIS_URL })');
    }
    let RedisClient: typeof Redis;
    try {
      ({ Redis: RedisClient } = await import('ioredis'));
    } catch (error) {
      throw ApiErrorsConfigurationError.create(`RedisStore needs the "ioredis" package (${String(error)})`, 'Install it: npm install ioredis');
    }
    const client = new RedisClient(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: times => Math.min(times * 100, 1000),
      ...options.redisOptions,
    });
    // ioredis reports connection errors as events; without a listener Node would print each of them.
    client.on('error', () => {});
    // Wait for the first connection (commands are not queued while disconnected), but do not stop the
    // application from starting when Redis is down: guards answer 503 until it is back.
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, 2000);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new RedisStore(client, true, prefix);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#client.set(this.#prefix + key, value, 'EX', seconds(ttlSeconds));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#client.set(this.#prefix + key, value, 'EX', seconds(ttlSeconds), 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#client.get(this.#prefix + key)) ?? undefined;
  }

  async getAndDelete(key: string): Promise<string | undefined> {
    return (await this.#client.getdel(this.#prefix + key)) ?? undefined;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.#client.eval(DELETE_IF_EQUALS, 1, this.#prefix + key, value)) === 1;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    return Number(await this.#client.eval(INCREMENT, 1, this.#prefix + key, seconds(ttlSeconds)));
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#prefix + key);
  }

  async ttlSeconds(key: string): Promise<number | undefined> {
    const ttl = await this.#client.ttl(this.#prefix + key);
    return ttl < 0 ? undefined : ttl;
  }

  /** The ioredis client (for health checks). */
  get client(): Redis {
    return this.#client;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.#owned) {
      this.#client.disconnect();
    }
  }
}

function seconds(ttl: number): number {
  return Math.max(1, Math.ceil(ttl));
}
