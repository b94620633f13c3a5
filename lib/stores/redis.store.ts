import type { OnModuleDestroy } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { resolveRedisStoreOptions } from '../options/store-options.js';
import type { ApiErrorsStore } from './api-errors-store.interface.js';

/** An ioredis client the store accepts: a `Redis` (standalone, or with `sentinels`) or a `Cluster`. */
export type RedisStoreClient = Redis | Cluster;

export interface RedisStoreOptions {
  /**
   * A client of yours: an ioredis `Redis` (standalone, or Sentinel: a `Redis` made with `sentinels`
   * and `name`) or an ioredis `Cluster`. It is not closed by the store, and its options are not
   * changed; the store fails fast on it all the same: a call made while the client is not `ready`
   * rejects at once (nothing waits in the client's offline queue), a call in flight when the
   * connection closes rejects at once, and none waits longer than `commandTimeoutMs`.
   */
  client?: RedisStoreClient;
  /** Or a URL to connect to, e.g. `redis://127.0.0.1:6379/0`. */
  url?: string;
  /** Extra ioredis options when connecting by URL; they win over the store's own. */
  redisOptions?: RedisOptions;
  /** Prefix of every key. @default 'api-errors:' */
  keyPrefix?: string;
  /**
   * How long a store call waits for Redis's answer before it rejects (the guard then answers 503
   * `server.unavailable`), in milliseconds. An answer that has arrived is never thrown away because
   * the process was too busy to read it in time: when the time is up, the answers already received
   * are read first, so event-loop lag alone does not fail a call.
   * @default 1000
   */
  commandTimeoutMs?: number;
  /**
   * Connecting by URL: how long one connection attempt may take (ioredis `connectTimeout`), in
   * milliseconds. `create` also waits at most this long for the first connection (of a given client
   * too) and then returns all the same: until Redis is there, store calls reject and guards answer 503.
   * @default 2000
   */
  connectTimeoutMs?: number;
  /**
   * Connecting by URL: the longest wait between two reconnection attempts, in milliseconds (the
   * wait grows by 100 ms per failed attempt up to this).
   * @default 1000
   */
  maxReconnectDelayMs?: number;
}

const INCREMENT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;

const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What a store call rejects with when Redis is not there or does not answer in time. */
function unavailable(message: string): Error {
  const error = new Error(`RedisStore: ${message}`);
  error.name = 'RedisStoreUnavailableError';
  return error;
}

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
    let RedisClient: typeof Redis;
    try {
      ({ Redis: RedisClient } = await import('ioredis'));
    } catch (error) {
      throw ApiErrorsConfigurationError.create(
        `RedisStore needs the "ioredis" package (${String(error)})`,
        'Install it: npm install ioredis',
      );
    }
    const client = new RedisClient(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: connectTimeoutMs,
      // No ioredis commandTimeout: its timer counts event-loop lag (see commandTimeoutMs). A socket
      // that answers nothing for this long while calls wait is taken as dead and reconnected, so that
      // calls given up on do not pile up in the client while Redis hangs.
      socketTimeout: Math.max(10_000, 10 * commandTimeoutMs),
      retryStrategy: times => Math.min(times * 100, maxReconnectDelayMs),
      ...options.redisOptions,
    });
    // ioredis reports connection errors as events; without a listener Node would print each of them.
    client.on('error', () => {});
    // Wait for the first connection, but do not stop the application from starting when Redis is
    // down: guards answer 503 until it is back.
    await ready(client, connectTimeoutMs);
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

  /** The ioredis client (for health checks). */
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

/** Resolves once `client` is ready, or after `timeoutMs` in any case. */
async function ready(client: RedisStoreClient, timeoutMs: number): Promise<void> {
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
