import {
  AttemptLimiter,
  MemoryStore,
  RateLimitExceededException,
  ServerUnavailableException,
  type ApiErrorsStore,
} from 'nestjs-api-errors';
import { canonicalJson } from '../../lib/guards/critical-auth/otp-challenge.js';

describe('AttemptLimiter', () => {
  let clock = 1_000_000;
  let store: MemoryStore;
  let limiter: AttemptLimiter;
  const account = { key: 'sign-in:account:1', maxAttempts: 3, windowSeconds: 60 };
  const ip = { key: 'sign-in:ip:203.0.113.7', maxAttempts: 5, windowSeconds: 600 };

  beforeEach(() => {
    store = new MemoryStore({ now: () => clock });
    limiter = new AttemptLimiter(store);
  });
  afterEach(() => store.onModuleDestroy());

  it('counts attempts and says how many are left under the tightest limit', async () => {
    expect(await limiter.reserve([account, ip])).toBe(2);
    expect(await limiter.reserve([account, ip])).toBe(1);
    expect(await limiter.reserve([account, ip])).toBe(0);
    await expect(limiter.reserve([account, ip])).rejects.toBeInstanceOf(RateLimitExceededException);
  });

  it('answers 429 with the longest wait among the limits that are over, and opens again when the window ends', async () => {
    for (let i = 0; i < 5; i++) {
      await limiter.reserve([ip]).catch(() => undefined);
    }
    clock += 100_000;
    for (let i = 0; i < 3; i++) {
      await limiter.reserve([account]);
    }
    const error = (await limiter
      .reserve([account, ip])
      .catch((caught: unknown) => caught)) as RateLimitExceededException;
    expect(error).toBeInstanceOf(RateLimitExceededException);
    expect(error.getResponse()).toMatchObject({ error_code: 'request.rate.exceeded', retry_after: 500 });
    clock += 600_000;
    expect(await limiter.reserve([account, ip])).toBe(2);
  });

  it('attempt(): a failed check stays counted, a passing one clears every counter', async () => {
    expect(await limiter.attempt([account, ip], () => false)).toBe(false);
    expect(await limiter.attempt([account, ip], async () => false)).toBe(false);
    expect(Number(await store.get(account.key))).toBe(2);
    expect(await limiter.attempt([account, ip], () => true)).toBe(true);
    expect(await store.get(account.key)).toBeUndefined();
    expect(await store.get(ip.key)).toBeUndefined();
  });

  it('attempt(): a success leaves the counters marked clearOnSuccess: false (shared by many accounts)', async () => {
    const shared = { ...ip, clearOnSuccess: false };
    await limiter.attempt([account, shared], () => false);
    await limiter.attempt([account, shared], () => true);
    expect(await store.get(account.key)).toBeUndefined();
    expect(Number(await store.get(ip.key))).toBe(2);
  });

  it('succeeded(): after a check of your own, clears the counters but the shared ones', async () => {
    const shared = { ...ip, clearOnSuccess: false };
    await limiter.reserve([account, shared]);
    await limiter.succeeded([account, shared]);
    expect(await store.get(account.key)).toBeUndefined();
    expect(Number(await store.get(ip.key))).toBe(1);
  });

  it('never runs the check once the limit is used up, however many ask at once', async () => {
    let checks = 0;
    const answers = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        limiter.attempt([account], () => {
          checks++;
          return false;
        }),
      ),
    );
    expect(checks).toBe(3);
    expect(answers.filter(answer => answer.status === 'rejected')).toHaveLength(47);
  });

  it('assertOpen() refuses without counting once a limit is used up', async () => {
    await limiter.assertOpen([account]);
    expect(await store.get(account.key)).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      await limiter.reserve([account]);
    }
    await expect(limiter.assertOpen([account])).rejects.toBeInstanceOf(RateLimitExceededException);
    expect(Number(await store.get(account.key))).toBe(3);
  });

  it('fails closed with 503 when the store cannot answer', async () => {
    const broken = { increment: () => Promise.reject(new Error('ECONNREFUSED')) } as unknown as ApiErrorsStore;
    await expect(new AttemptLimiter(broken).reserve([account])).rejects.toBeInstanceOf(ServerUnavailableException);
  });
});

describe('canonicalJson (what an OTP is bound to)', () => {
  it('sorts object keys at every depth and keeps arrays in order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('hashes a body nested 100,000 levels deep without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(canonicalJson(deep)).toHaveLength(200_000);
  });
});
