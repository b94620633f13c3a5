import type { OnModuleDestroy } from '@nestjs/common';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { connectByUrl, ready, unavailable } from './redis-connection.js';
import type { RedisConnectionOptions, RedisStoreClient, RedisStoreOptions } from './redis-store-options.interface.js';

export type { RedisConnectionOptions, RedisStoreClient, RedisStoreOptions };
import { resolveRedisStoreOptions } from '../options/store-options.js';
import type { ApiErrorsStore } from './api-errors-store.interface.js';

const INCREMENT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The store for several instances behind a load balancer: Redis through ioredis (an optional peer
 * dependency, loaded only when this store connects by URL). Every operation is one atomic Redis
 * command or script on one key (`SET NX EX`, `GETDEL`, Lua for increment-with-expiry and
 * compare-and-delete), so instances sharing one Redis behave as one, and a Redis Cluster serves every
 * operation (each goes to the node of its key's slot).
 *
 * Calls fail fast while Redis is unreachable, on a URL-made connection and on a given client alike:
 * a call made while the client is not connected rejects at once (nothing is queued), one in flight when
 * the connection drops rejects at once, none waits longer than `commandTimeoutMs`; guards then answer
 * 503 `server.unavailable`, and work again as soon as ioredis has reconnected.
 */
export class RedisStore implements ApiErrorsStore, OnModuleDestroy {
  readonly #client: RedisStoreClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #commandTimeoutMs: number;
  /** Rejects the calls in flight (when the connection closes). */
  readonly #inFlight = new Set<(error: Error) => void>();
  readonly #onClose = (): void => {
    for (const fail of [...this.#inFlight]) {
      fail(unavailable('the connection to Redis closed before it answered'));
    }
  };

  private constructor(client: RedisStoreClient, owned: boolean, prefix: string, commandTimeoutMs: number) {
    this.#client = client;
    this.#owned = owned;
    this.#prefix = prefix;
    this.#commandTimeoutMs = commandTimeoutMs;
    client.on('close', this.#onClose);
  }

  /** Makes a store on a client of yours (`Redis`, Sentinel or `Cluster`), or on a connection to `url`. */
  static async create(options: RedisStoreOptions): Promise<RedisStore> {
    const {
      keyPrefix: prefix,
      commandTimeoutMs,
      connectTimeoutMs,
      maxReconnectDelayMs,
    } = resolveRedisStoreOptions(options);
    if (options.client !== undefined) {
      const client = options.client;
      if (client.status === 'wait') {
        // Made with lazyConnect: connect now, as the store will not queue a call to make it connect.
        client.connect().catch(() => {});
      }
      await ready(client, connectTimeoutMs);
      return new RedisStore(client, false, prefix, commandTimeoutMs);
    }
    if (options.url === undefined) {
      throw ApiErrorsConfigurationError.create(
        'RedisStore needs a client or a url',
        'Pass RedisStore.create({ url: process.env.REDIS_URL })',
      );
    }
    const client = await connectByUrl(options.url, options.redisOptions, {
      connectTimeoutMs,
      commandTimeoutMs,
      maxReconnectDelayMs,
    });
    return new RedisStore(client, true, prefix, commandTimeoutMs);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.call(client => client.set(this.#prefix + key, value, 'EX', seconds(ttlSeconds)));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.call(client => client.set(this.#prefix + key, value, 'EX', seconds(ttlSeconds), 'NX'))) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.call(client => client.get(this.#prefix + key))) ?? undefined;
  }

  async getAndDelete(key: string): Promise<string | undefined> {
    return (await this.call(client => client.getdel(this.#prefix + key))) ?? undefined;
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.call(client => client.eval(DELETE_IF_EQUALS, 1, this.#prefix + key, value))) === 1;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    return Number(await this.call(client => client.eval(INCREMENT, 1, this.#prefix + key, seconds(ttlSeconds))));
  }

  async delete(key: string): Promise<void> {
    await this.call(client => client.del(this.#prefix + key));
  }

  async ttlSeconds(key: string): Promise<number | undefined> {
    const ttl = await this.call(client => client.ttl(this.#prefix + key));
    return ttl < 0 ? undefined : ttl;
  }

  /** The client: the one given, or the ioredis `Redis` the store made (for health checks). */
  get client(): RedisStoreClient {
    return this.#client;
  }

  async onModuleDestroy(): Promise<void> {
    this.#client.off('close', this.#onClose);
    if (this.#owned) {
      this.#client.disconnect();
    }
  }

  /**
   * Runs one command, failing fast: at once when the client is not connected (so nothing waits in an
   * offline queue), at once when the connection closes before the answer, and after
   * `commandTimeoutMs` otherwise. When the timer fires, the check waits for `setImmediate`: the loop's
   * poll phase runs first and reads answers that arrived while the process was busy.
   */
  private call<T>(command: (client: RedisStoreClient) => Promise<T>): Promise<T> {
    const status = this.#client.status;
    if (status !== 'ready') {
      return Promise.reject(unavailable(`Redis is not connected (client status "${status}")`));
    }
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (): boolean => {
        if (done) {
          return false;
        }
        done = true;
        clearTimeout(timer);
        this.#inFlight.delete(fail);
        return true;
      };
      const fail = (error: Error): void => {
        if (finish()) {
          reject(error);
        }
      };
      const timer = setTimeout(
        () => setImmediate(() => fail(unavailable(`Redis did not answer in ${this.#commandTimeoutMs} ms`))),
        this.#commandTimeoutMs,
      );
      this.#inFlight.add(fail);
      command(this.#client).then(
        value => {
          if (finish()) {
            resolve(value);
          }
        },
        (error: unknown) => fail(error instanceof Error ? error : unavailable(String(error))),
      );
    });
  }
}

function seconds(ttl: number): number {
  return Math.max(1, Math.ceil(ttl));
}
