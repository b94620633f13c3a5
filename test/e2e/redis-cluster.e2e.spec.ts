import { Cluster } from 'ioredis';
import { RedisStore } from 'nestjs-api-errors';
import { redisClusterSkipReason } from '../support/redis-server.mjs';
import { storeBehaviour } from '../support/store-behaviour.js';

const skip = redisClusterSkipReason();
if (skip !== undefined) {
  console.warn(skip);
}

/** The nodes of REDIS_CLUSTER_NODES (`host:port,host:port,…`), as ioredis takes them. */
function clusterNodes(): { host: string; port: number }[] {
  return (process.env.REDIS_CLUSTER_NODES as string).split(',').map(node => {
    const [host, port] = node.trim().split(':');
    return { host: host as string, port: Number(port) };
  });
}

(skip === undefined ? describe : describe.skip)('RedisStore on a three-node Redis Cluster', () => {
  let cluster: Cluster;
  let prefix = 0;

  beforeAll(async () => {
    cluster = new Cluster(clusterNodes());
    cluster.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', () => resolve());
      setTimeout(
        () => reject(new Error(`the Redis Cluster at ${process.env.REDIS_CLUSTER_NODES} was not ready in 10 s`)),
        10_000,
      ).unref();
    });
  });
  afterAll(async () => {
    cluster.disconnect();
  });

  describe('the store behaviour', () => {
    storeBehaviour({
      make: () => RedisStore.create({ client: cluster, keyPrefix: `cluster-${process.pid}-${++prefix}:` }),
      fakeClock: false,
    });
  });

  it('spreads keys over every master, each operation served by the node of its key', async () => {
    const store = await RedisStore.create({ client: cluster, keyPrefix: `spread-${process.pid}:` });
    const keys = Array.from({ length: 60 }, (_, i) => `nonce:partner:${i}`);
    expect(await Promise.all(keys.map(key => store.setIfAbsent(key, '1', 60)))).toEqual(keys.map(() => true));
    expect(await Promise.all(keys.map(key => store.increment(`${key}:count`, 60)))).toEqual(keys.map(() => 1));
    const masters = cluster.nodes('master');
    expect(masters).toHaveLength(3);
    const perMaster = await Promise.all(masters.map(node => node.keys(`spread-${process.pid}:*`)));
    expect(perMaster.every(held => held.length > 0)).toBe(true);
    expect(perMaster.flat().sort()).toEqual(
      [...keys, ...keys.map(key => `${key}:count`)].map(key => `spread-${process.pid}:${key}`).sort(),
    );
    await store.onModuleDestroy();
    expect(cluster.status).toBe('ready'); // a given client is not closed by the store
  });

  it('answers a burst of 1,000 concurrent calls while the event loop is busy', async () => {
    const store = await RedisStore.create({ client: cluster, keyPrefix: `cluster-burst-${process.pid}:` });
    const calls = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? store.increment(`count:${i % 20}`, 60) : store.setIfAbsent(`nonce:${i}`, '1', 60),
    );
    const end = Date.now() + 1500;
    while (Date.now() < end) {
      // busy: the answers wait to be read
    }
    const results = await Promise.allSettled(calls);
    expect(results.filter(result => result.status === 'rejected')).toHaveLength(0);
    await store.onModuleDestroy();
  });
});
