/**
 * What the store needs of a Redis client, written here so that the package's types do not need ioredis
 * (an optional peer dependency) to be installed. An ioredis `Redis` (standalone, or with `sentinels`)
 * and an ioredis `Cluster` have this shape and are passed as they are.
 */
export interface RedisStoreClient {
  /** The connection's state; the store calls Redis only when it is `ready`. */
  readonly status: string;
  /** Connects a client made with `lazyConnect`. */
  connect(): Promise<void>;
  disconnect(): void;
  on(event: 'close' | 'error', listener: () => void): unknown;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready' | 'close', listener: () => void): unknown;
  set(key: string, value: string, secondsToken: 'EX', seconds: number): Promise<'OK'>;
  set(key: string, value: string, secondsToken: 'EX', seconds: number, nx: 'NX'): Promise<'OK' | null>;
  get(key: string): Promise<string | null>;
  getdel(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
  ttl(key: string): Promise<number>;
  eval(script: string, numKeys: number, key: string, ...args: (string | number)[]): Promise<unknown>;
  /** Not called by the store: for health checks and inspection through `RedisStore.client`. */
  ping(): Promise<string>;
  /** Not called by the store: for inspection through `RedisStore.client`. */
  keys(pattern: string): Promise<string[]>;
}

/**
 * ioredis options for a connection the store makes by URL; an ioredis `RedisOptions` fits. The ones
 * that make sense for the store are listed; pass others through a variable of ioredis's own type.
 */
export interface RedisConnectionOptions {
  username?: string | undefined;
  password?: string | undefined;
  db?: number | undefined;
  /** TLS options (those of Node's `tls.connect()`). */
  tls?: object | undefined;
  /** 4 or 6: the IP version used to resolve the host. */
  family?: number | undefined;
  connectionName?: string | undefined;
  keepAlive?: number | undefined;
  noDelay?: boolean | undefined;
  connectTimeout?: number | undefined;
  socketTimeout?: number | undefined;
  commandTimeout?: number | undefined;
  maxRetriesPerRequest?: number | null | undefined;
  retryStrategy?: ((times: number) => number | void | null) | null | undefined;
  enableOfflineQueue?: boolean | undefined;
  enableReadyCheck?: boolean | undefined;
  enableAutoPipelining?: boolean | undefined;
  disableClientInfo?: boolean | undefined;
  clientInfoTag?: string | undefined;
}

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
  /** Extra ioredis options (`RedisOptions`) when connecting by URL; they win over the store's own. */
  redisOptions?: RedisConnectionOptions;
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
