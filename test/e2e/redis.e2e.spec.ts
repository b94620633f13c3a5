import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { InMemoryOtpSender, RedisStore, type ApiErrorsStore } from 'nestjs-api-errors';
import { SIGNING_SECRET, startCriticalApp, tokenFor, type CriticalApp } from '../fixtures/critical-auth.fixture.js';
import { ADAPTERS } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';
import { hasRedisServer, redisSkipReason, startRedis, type RedisProcess } from '../support/redis-server.mjs';
import { signatureHeader } from '../support/signing.js';

const skip = redisSkipReason();
if (skip !== undefined) {
  console.warn(skip);
}
const describeWithRedis = skip === undefined ? describe.each(ADAPTERS) : describe.skip.each(ADAPTERS);
const describeWithRedisServer = hasRedisServer() ? describe.each(ADAPTERS) : describe.skip.each(ADAPTERS);
if (!hasRedisServer()) {
  console.warn('redis-server is not installed: the test that stops and restarts Redis is skipped');
}

let prefix = 0;
const newStore = (url: string): Promise<RedisStore> =>
  RedisStore.create({ url, keyPrefix: `e2e-${process.pid}-${++prefix}:` });

function put(app: CriticalApp, auth: string, body: object): Promise<RawResponse> {
  return send(app.running.baseUrl, '/profile/email', { method: 'PUT', body, headers: { authorization: auth } });
}

function signedPost(app: CriticalApp, nonce: string): Promise<RawResponse> {
  const body = '{}';
  const authorization = signatureHeader({
    keyId: 'partner',
    secret: SIGNING_SECRET,
    path: '/profile/signed',
    body,
    nonce,
  });
  return send(app.running.baseUrl, '/profile/signed', {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      authorization,
    },
  });
}

describeWithRedis('two instances sharing one Redis, on %s', adapter => {
  let first: CriticalApp;
  let second: CriticalApp;
  const stores: RedisStore[] = [];

  beforeAll(async () => {
    const url = process.env.REDIS_URL as string;
    const keyPrefix = `shared-${process.pid}-${adapter}:`;
    const sender = new InMemoryOtpSender();
    for (let i = 0; i < 2; i++) {
      stores.push(await RedisStore.create({ url, keyPrefix }));
    }
    first = await startCriticalApp(adapter, stores[0] as RedisStore, sender);
    second = await startCriticalApp(adapter, stores[1] as RedisStore, sender);
  });
  afterAll(async () => {
    await first.running.close();
    await second.running.close();
    await Promise.all(stores.map(store => store.onModuleDestroy()));
  });

  it('accepts, once, on one instance the OTP issued by the other', async () => {
    const auth = `Bearer ${await tokenFor('shared-user-1', 'otp')}`;
    expect((await put(first, auth, { email: 'lb@example.com' })).status).toBe(403);
    const code = first.sender.lastCodeFor('shared-user-1') as string;
    expect((await put(second, auth, { email: 'lb@example.com', otp: code })).status).toBe(200);
    expect((await put(first, auth, { email: 'lb@example.com', otp: code })).json.error_code).toBe('auth.otp.invalid');
  });

  it('lets exactly one of 20 simultaneous requests, spread over both instances, through', async () => {
    const auth = `Bearer ${await tokenFor('shared-user-2', 'otp')}`;
    await put(first, auth, { email: 'race@example.com' });
    const code = first.sender.lastCodeFor('shared-user-2') as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        put(i % 2 === 0 ? first : second, auth, { email: 'race@example.com', otp: code }),
      ),
    );
    expect(answers.filter(res => res.status === 200)).toHaveLength(1);
    const ran = [...first.changes.done, ...second.changes.done].filter(change => change.startsWith('shared-user-2:'));
    expect(ran).toHaveLength(1);
  });

  it('rejects on one instance a signature nonce already used on the other', async () => {
    const nonce = randomBytes(16).toString('base64url');
    expect((await signedPost(first, nonce)).status).toBe(201);
    expect((await signedPost(second, nonce)).json.error_code).toBe('auth.signature.invalid');
  });

  it('keeps OTPs out of Redis in clear', async () => {
    const keys = await (stores[0] as RedisStore).client.keys(`shared-${process.pid}-${adapter}:*`);
    const values = await Promise.all(keys.map(key => (stores[0] as RedisStore).client.get(key)));
    for (const message of first.sender.sent) {
      expect(values.join('\n')).not.toContain(`"${message.code}"`);
      expect(values).not.toContain(message.code);
    }
  });
});

describeWithRedisServer('when Redis stops, on %s', adapter => {
  let redis: RedisProcess;
  let app: CriticalApp;
  let store: RedisStore;

  beforeAll(async () => {
    redis = await startRedis();
    store = await newStore(redis.url);
    app = await startCriticalApp(adapter, store);
  });
  afterAll(async () => {
    await app.running.close();
    await store.onModuleDestroy();
    await redis.stop();
  });

  it('fails closed with 503 server.unavailable while it is down, and works again once it is back', async () => {
    const auth = `Bearer ${await tokenFor('outage-user', 'otp')}`;
    expect((await put(app, auth, { email: 'o@example.com' })).status).toBe(403);

    await redis.stop();
    const down = await put(app, auth, { email: 'o@example.com', otp: '123456' });
    expect(down.status).toBe(503);
    expect(down.json.error_code).toBe('server.unavailable');
    const nonce = await signedPost(app, randomBytes(16).toString('base64url'));
    expect(nonce.json.error_code).toBe('server.unavailable');

    redis = await startRedis(redis.port);
    let back: RawResponse | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      back = await signedPost(app, randomBytes(16).toString('base64url'));
      if (back.status !== 503) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(back?.status).toBe(201);
  });
});

/** Busy, as a loaded server is: the process runs `ms` of other work without a turn of the event loop. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spinning
  }
}

/** Every store call, once each, on keys of `tag`. */
function everyCall(store: ApiErrorsStore, tag: string): Promise<unknown>[] {
  return [
    store.set(`${tag}:a`, '1', 60),
    store.setIfAbsent(`${tag}:b`, '1', 60),
    store.get(`${tag}:c`),
    store.getAndDelete(`${tag}:d`),
    store.deleteIfEquals(`${tag}:e`, '1'),
    store.increment(`${tag}:f`, 60),
    store.delete(`${tag}:g`),
    store.ttlSeconds(`${tag}:h`),
  ];
}

/** How long each call took to reject (ms), or `fulfilled` for one that did not. */
async function rejectionTimes(calls: Promise<unknown>[]): Promise<(number | 'fulfilled')[]> {
  const started = Date.now();
  return Promise.all(
    calls.map(call =>
      call.then(
        () => 'fulfilled' as const,
        () => Date.now() - started,
      ),
    ),
  );
}

async function untilItAnswers(store: ApiErrorsStore, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await store.set('back', '1', 60);
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

(skip === undefined ? describe : describe.skip)(
  'a burst of 1,000 concurrent store calls while the event loop is busy',
  () => {
    let store: RedisStore;
    beforeAll(async () => {
      store = await newStore(process.env.REDIS_URL as string);
    });
    afterAll(() => store.onModuleDestroy());

    it('all succeed with the default timeouts, though the process is busy for longer than the command timeout', async () => {
      const counters = Array.from({ length: 500 }, (_, i) => store.increment(`burst:count:${i % 10}`, 60));
      const nonces = Array.from({ length: 500 }, (_, i) => store.setIfAbsent(`burst:nonce:${i}`, '1', 60));
      // Redis answers within a millisecond, but the process cannot read the answers for 1.5 s.
      blockEventLoop(1500);
      const results = await Promise.allSettled([...counters, ...nonces]);
      const failures = results.filter(result => result.status === 'rejected');
      expect(failures.map(failure => String(failure.reason)).slice(0, 3)).toEqual([]);
      expect(await Promise.all(nonces)).toEqual(Array.from({ length: 500 }, () => true));
      expect((await Promise.all(counters)).sort((a, b) => a - b).slice(-10)).toEqual(
        Array.from({ length: 10 }, () => 50),
      );
    });

    it('all succeed while other work keeps the event loop busy in slices', async () => {
      let busy = true;
      const slices = (async () => {
        while (busy) {
          blockEventLoop(40);
          await new Promise(resolve => setImmediate(resolve));
        }
      })();
      const calls = Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0 ? store.increment(`slices:count:${i % 20}`, 60) : store.setIfAbsent(`slices:nonce:${i}`, '1', 60),
      );
      const results = await Promise.allSettled(calls);
      busy = false;
      await slices;
      expect(results.filter(result => result.status === 'rejected')).toHaveLength(0);
    });
  },
);

const describeWithOwnRedis = hasRedisServer() ? describe : describe.skip;

describeWithOwnRedis('RedisStore while Redis is stopped or hung', () => {
  let redis: RedisProcess;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(() => redis.stop());

  const makers: [string, (url: string) => Promise<{ store: RedisStore; close(): Promise<void> }>][] = [
    [
      'a store made from a URL',
      async url => {
        const store = await newStore(url);
        return { store, close: () => store.onModuleDestroy() };
      },
    ],
    [
      'a store on a client of yours with ioredis defaults (offline queue, 20 retries per request)',
      async url => {
        const client = new Redis(url);
        client.on('error', () => {});
        const store = await RedisStore.create({ client, keyPrefix: `given-${process.pid}-${++prefix}:` });
        return {
          store,
          close: async () => {
            await store.onModuleDestroy();
            client.disconnect();
          },
        };
      },
    ],
  ];

  it.each(makers)(
    '%s: every call rejects in under a second while Redis is stopped, and works again once it is back',
    async (_name, make) => {
      const { store, close } = await make(redis.url);
      try {
        await store.set('up', '1', 60);
        // Calls in flight when Redis stops, then calls made while it is down (and ioredis reconnecting).
        const inFlight = rejectionTimes(everyCall(store, 'in-flight'));
        await redis.stop();
        const times = [...(await inFlight)];
        for (let round = 0; round < 4; round++) {
          times.push(...(await rejectionTimes(everyCall(store, `down-${round}`))));
          await new Promise(resolve => setTimeout(resolve, 300));
        }
        expect(times.filter(time => time === 'fulfilled').length).toBeLessThanOrEqual(8); // only in-flight calls may have been answered
        expect(times.slice(8).every(time => time !== 'fulfilled' && time < 1000)).toBe(true);
        expect(Math.max(...times.map(time => (time === 'fulfilled' ? 0 : time)))).toBeLessThan(1000);

        redis = await startRedis(redis.port);
        await untilItAnswers(store, 10_000);
        expect(await store.setIfAbsent('after', 'x', 60)).toBe(true);
        expect(await store.get('after')).toBe('x');
      } finally {
        await close();
      }
    },
  );

  it.each(makers)(
    '%s: a call rejects after the command timeout while Redis hangs, and works again once it answers',
    async (_name, make) => {
      const { store, close } = await make(redis.url);
      try {
        await store.set('up', '1', 60);
        redis.pause();
        const times = await rejectionTimes(everyCall(store, 'hung'));
        expect(times.every(time => time !== 'fulfilled' && time >= 900 && time < 2000)).toBe(true);
        redis.resume();
        await untilItAnswers(store, 5_000);
        expect(await store.increment('after-hang', 60)).toBe(1);
      } finally {
        redis.resume();
        await close();
      }
    },
  );
});
