import { randomUUID } from 'node:crypto';
import { InMemoryOtpSender, MemoryStore, RedisStore, type ApiErrorsStore } from 'nestjs-api-errors';
import { STORE_KEYS } from '../../lib/stores/store-keys.js';
import {
  PASSWORD,
  countingPasswordVerifier,
  startCriticalApp,
  tokenFor,
  type CriticalApp,
} from '../fixtures/critical-auth.fixture.js';
import { ADAPTERS } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';
import { withLatency } from '../support/latent-store.js';
import { redisSkipReason } from '../support/redis-server.mjs';

// Attempt limits tried as an attacker would: hundreds of guesses sent at once, through a store that
// answers at once (MemoryStore), one that answers a few milliseconds later as a networked store does,
// and the real Redis. Every guess is reserved before it is checked, so no number of parallel requests
// gets more than the limit's worth of checks.

type StoreName = 'memory' | 'memory with 3 ms latency' | 'redis';
const STORES: StoreName[] = [
  'memory',
  'memory with 3 ms latency',
  ...(redisSkipReason() === undefined ? (['redis'] as const) : []),
];
const CASES = ADAPTERS.flatMap(adapter => STORES.map(store => [adapter, store] as const));

async function makeStore(name: StoreName): Promise<{ store: ApiErrorsStore; close(): Promise<void> }> {
  if (name === 'redis') {
    const redis = await RedisStore.create({
      url: process.env.REDIS_URL as string,
      keyPrefix: `limits-${randomUUID()}:`,
    });
    return { store: redis, close: () => redis.onModuleDestroy() };
  }
  const memory = new MemoryStore();
  return { store: name === 'memory' ? memory : withLatency(memory), close: async () => memory.onModuleDestroy() };
}

/** Wrong codes, none of them the right one. */
function wrongCodes(right: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => String((Number(right) + 1 + index) % 1_000_000).padStart(6, '0'));
}

const statuses = (answers: RawResponse[]): Record<number, number> =>
  answers.reduce<Record<number, number>>(
    (counts, res) => ({ ...counts, [res.status]: (counts[res.status] ?? 0) + 1 }),
    {},
  );

describe.each(CASES)('attempt limits under concurrency on %s, %s store', (adapter, storeName) => {
  let app: CriticalApp;
  let store: ApiErrorsStore;
  let closeStore: () => Promise<void>;
  const sender = new InMemoryOtpSender();
  const verifier = countingPasswordVerifier();

  const newUser = async (method: 'otp' | 'password'): Promise<{ id: string; auth: string }> => {
    const id = `attacked-${randomUUID()}`;
    return { id, auth: `Bearer ${await tokenFor(id, method)}` };
  };
  const put = (auth: string, body: object): Promise<RawResponse> =>
    send(app.running.baseUrl, '/profile/email', { method: 'PUT', body, headers: { authorization: auth } });

  beforeAll(async () => {
    ({ store, close: closeStore } = await makeStore(storeName));
    app = await startCriticalApp(adapter, store, sender, { passwordVerifier: verifier });
  });
  afterAll(async () => {
    await app.running.close();
    await closeStore();
  });

  it('200 wrong passwords at once: the verifier runs at most 5 times, the rest is 429, and then the right one is 429 too', async () => {
    const { auth } = await newUser('password');
    const before = verifier.calls;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => put(auth, { email: 'a@example.com', password: `wrong-${index}` })),
    );
    const checked = verifier.calls - before;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses(answers)).toEqual({ 401: checked, 429: 200 - checked });
    expect(
      answers.filter(res => res.status === 401).every(res => res.json.error_code === 'auth.password.invalid'),
    ).toBe(true);
    expect(
      answers
        .filter(res => res.status === 429)
        .every(res => res.json.error_code === 'request.rate.exceeded' && res.json.retry_after > 0),
    ).toBe(true);

    const right = await put(auth, { email: 'a@example.com', password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.json.retry_after).toBeGreaterThan(800);
    expect(verifier.calls - before).toBe(checked);
  });

  it('1,000 wrong codes at once: at most 5 are compared, and then the right code is refused', async () => {
    const { id, auth } = await newUser('otp');
    expect((await put(auth, { email: 'b@example.com' })).json.critical_auth_method).toBe('otp');
    const code = sender.lastCodeFor(id) as string;
    const answers = await Promise.all(wrongCodes(code, 1000).map(otp => put(auth, { email: 'b@example.com', otp })));
    const counts = statuses(answers);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(1000);

    const right = await put(auth, { email: 'b@example.com', otp: code });
    expect(right.status).toBe(429);
    expect(app.changes.done.some(change => change.startsWith(`${id}:`))).toBe(false);
  });

  it('five re-issued codes in a row: the wrong guesses answered stay within the 5 of the window, and no code is sent once it is used up', async () => {
    const { id, auth } = await newUser('otp');
    let compared = 0;
    for (let round = 0; round < 5; round++) {
      await store.delete(STORE_KEYS.otpResend(id)); // the re-send interval has passed
      const issued = await put(auth, { email: 'c@example.com' });
      expect([403, 429]).toContain(issued.status);
      const code = sender.lastCodeFor(id) as string;
      const answers = await Promise.all(wrongCodes(code, 3).map(otp => put(auth, { email: 'c@example.com', otp })));
      compared += answers.filter(res => res.status === 401).length;
      expect(answers.every(res => res.status === 401 || res.status === 429)).toBe(true);
    }
    expect(compared).toBe(5);
    expect(sender.sent.filter(message => message.principal.id === id)).toHaveLength(2);
  });

  it('20 requests with the right code at once: exactly one passes, the change is made once', async () => {
    const { id, auth } = await newUser('otp');
    await put(auth, { email: 'd@example.com' });
    const code = sender.lastCodeFor(id) as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => put(auth, { email: 'd@example.com', otp: code })),
    );
    const counts = statuses(answers);
    expect(counts[200]).toBe(1);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(19);
    expect(app.changes.done.filter(change => change.startsWith(`${id}:`))).toHaveLength(1);
  });
});
