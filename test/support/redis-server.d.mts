export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}
export function hasRedisServer(): boolean;
export function redisSkipReason(): string | undefined;
export function freePort(): Promise<number>;
export function startRedis(port?: number): Promise<RedisProcess>;
