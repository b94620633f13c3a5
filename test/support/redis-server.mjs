// A throw-away redis-server for the tests (plain JavaScript, so that Jest's global setup can load it too).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether Debian's `redis-server` is installed here. */
export function hasRedisServer() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Why Redis tests cannot run here, or `undefined` when they can. */
export function redisSkipReason() {
  if (process.env.REDIS_URL) {
    return undefined;
  }
  return hasRedisServer()
    ? undefined
    : 'REDIS_URL is not set and redis-server is not installed (apt-get install redis-server, or set REDIS_URL): the RedisStore tests are skipped';
}

export async function freePort() {
  const server = createServer();
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Why Redis Cluster tests cannot run here, or `undefined` when they can. */
export function redisClusterSkipReason() {
  if (process.env.REDIS_CLUSTER_NODES) {
    return undefined;
  }
  return hasRedisServer()
    ? undefined
    : 'REDIS_CLUSTER_NODES is not set and redis-server is not installed (apt-get install redis-server, or set REDIS_CLUSTER_NODES=host:port,host:port,host:port): the Redis Cluster tests are skipped';
}

/** Starts redis-server on 127.0.0.1 (no persistence, plus `extraArgs`) and waits until it accepts connections. */
export async function startRedis(port, extraArgs = []) {
  const chosen = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start in 10 s')), 10_000);
    const onData = chunk => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    // SIGSTOP / SIGCONT: a Redis that keeps its connections open but does not answer, as a hung one does.
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** `count` distinct free ports on 127.0.0.1. */
async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) {
    ports.add(await freePort());
  }
  return [...ports];
}

/**
 * Starts a three-node Redis Cluster (three masters, no replicas) of redis-server processes on
 * 127.0.0.1, each with its cluster bus on a port of its own and its node file in a temporary directory,
 * and waits until every node reports `cluster_state:ok`. `nodes` lists them as `127.0.0.1:port`.
 */
export async function startRedisCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'api-errors-redis-cluster-'));
  const servers = [];
  const stop = async () => {
    await Promise.all(servers.map(server => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [a, b, c, busA, busB, busC] = await freePorts(6);
    for (const [port, busPort] of [
      [a, busA],
      [b, busB],
      [c, busC],
    ]) {
      servers.push(
        await startRedis(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-port',
          String(busPort),
          '--cluster-node-timeout',
          '5000',
          '--dir',
          dir,
        ]),
      );
    }
    const nodes = servers.map(server => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    const deadline = Date.now() + 30_000;
    for (const server of servers) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) {
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`Redis Cluster node 127.0.0.1:${server.port} did not reach cluster_state:ok in 30 s`);
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
