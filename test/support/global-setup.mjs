import { redisClusterSkipReason, redisSkipReason, startRedis, startRedisCluster } from './redis-server.mjs';

/**
 * Gives the suite a real Redis: the one in REDIS_URL (as .ci/run sets it), or a throw-away
 * redis-server when one is installed; and a Redis Cluster: the nodes in REDIS_CLUSTER_NODES (as
 * .ci/run sets it), or three throw-away cluster nodes. Without either, says why those tests are skipped.
 */
export default async function globalSetup() {
  const results = await Promise.allSettled([setUpRedis(), setUpRedisCluster()]);
  const failure = results.find(result => result.status === 'rejected');
  if (failure !== undefined) {
    // Jest runs no teardown after a failed setup: stop what did start.
    await Promise.all([globalThis.__API_ERRORS_REDIS__?.stop(), globalThis.__API_ERRORS_REDIS_CLUSTER__?.stop()]);
    throw failure.reason;
  }
}

async function setUpRedis() {
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

async function setUpRedisCluster() {
  if (process.env.REDIS_CLUSTER_NODES) {
    console.log(`\nRedis Cluster tests use REDIS_CLUSTER_NODES=${process.env.REDIS_CLUSTER_NODES}`);
    return;
  }
  const reason = redisClusterSkipReason();
  if (reason !== undefined) {
    console.warn(`\n${reason}`);
    return;
  }
  const cluster = await startRedisCluster();
  globalThis.__API_ERRORS_REDIS_CLUSTER__ = cluster;
  process.env.REDIS_CLUSTER_NODES = cluster.nodes.join(',');
  console.log(`\nRedis Cluster tests use a throw-away three-node cluster at ${process.env.REDIS_CLUSTER_NODES}`);
}
