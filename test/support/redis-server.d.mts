export interface RedisProcess {
  url: string;
  port: number;
  /** Stops the process (SIGSTOP): its connections stay open, it answers nothing. */
  pause(): void;
  /** Lets a paused process go on (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}
export function hasRedisServer(): boolean;
export function redisSkipReason(): string | undefined;
export function freePort(): Promise<number>;
export function startRedis(port?: number, extraArgs?: string[]): Promise<RedisProcess>;
export interface RedisClusterProcess {
  /** The nodes, as `127.0.0.1:port`. */
  nodes: string[];
  stop(): Promise<void>;
}
export function redisClusterSkipReason(): string | undefined;
export function startRedisCluster(): Promise<RedisClusterProcess>;
