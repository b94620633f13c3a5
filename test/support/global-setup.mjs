import { redisSkipReason, startRedis } from './redis-server.mjs';

/**
 * Gives the suite a real Redis: the one in REDIS_URL (as .ci/run sets it), or a throw-away
 * redis-server when one is installed. Without either, says why the Redis tests are skipped.
 */
export default async function globalSetup() {
  if (process.env.REDIS_URL) {
    console.log(`\nRedis tests use REDIS_URL=${process.env.REDIS_URL}`);
    return;
  }
  const reason = redisSkipReason();
  if (reason !== undefined) {
    console.warn(`\n${reason}`);
    return;
  }
  const redis = await startRedis();
  globalThis.__API_ERRORS_REDIS__ = redis;
  process.env.REDIS_URL = redis.url;
  console.log(`\nRedis tests use a throw-away redis-server at ${redis.url}`);
}
