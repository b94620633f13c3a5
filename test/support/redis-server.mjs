// A throw-away redis-server for the tests (plain JavaScript, so that Jest's global setup can load it too).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

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

/** Starts redis-server on 127.0.0.1 (no persistence) and waits until it accepts connections. */
export async function startRedis(port) {
  const chosen = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
