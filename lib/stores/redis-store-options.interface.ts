import type { Cluster, Redis, RedisOptions } from 'ioredis';

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
