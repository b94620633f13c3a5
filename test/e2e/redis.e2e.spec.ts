import { randomBytes } from 'node:crypto';
import { InMemoryOtpSender, RedisStore, signRequest } from 'nestjs-api-errors';
import { SIGNING_SECRET, startCriticalApp, tokenFor, type CriticalApp } from '../fixtures/critical-auth.fixture.js';
import { ADAPTERS } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';
import { hasRedisServer, redisSkipReason, startRedis, type RedisProcess } from '../support/redis-server.mjs';

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
const newStore = (url: string): Promise<RedisStore> => RedisStore.create({ url, keyPrefix: `e2e-${process.pid}-${++prefix}:` });

function put(app: CriticalApp, auth: string, body: object): Promise<RawResponse> {
  return send(app.running.baseUrl, '/profile/email', { method: 'PUT', body, headers: { authorization: auth } });
}

function signedPost(app: CriticalApp, nonce: string): Promise<RawResponse> {
  const body = '{}';
  const created = Math.floor(Date.now() / 1000);
  const signature = signRequest({ method: 'POST', path: '/profile/signed', query: '', body: Buffer.from(body) }, { keyId: 'partner', created, nonce }, SIGNING_SECRET);
  return send(app.running.baseUrl, '/profile/signed', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Signature keyId="partner",created=${created},nonce="${nonce}",signature="${signature}"` },
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
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => put(i % 2 === 0 ? first : second, auth, { email: 'race@example.com', otp: code })));
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
