// The sample app, booted on a free port and driven over real HTTP, flow by flow, to every one of the
// 37 seed codes; on Express and Fastify, with the in-memory store and (when there is one) with Redis.
import type { INestApplication } from '@nestjs/common';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import { API_ERROR_CATALOGUE, apiErrorBodySchema, AttemptLimiter } from 'nestjs-api-errors';
import { createSampleApp } from '../../sample-app/app.factory.js';
import type { SampleAdapter, SampleAttemptLimits, SampleConfig } from '../../sample-app/config.js';
import { DatabaseService } from '../../sample-app/database/database.service.js';
import { DEMO } from '../../sample-app/database/demo-data.js';
import { attemptLimits, type GuessedSecret } from '../../sample-app/security/attempt-limits.js';
import { DemoSmsGateway } from '../../sample-app/security/demo-sms.gateway.js';
import { MemorableWords } from '../../sample-app/security/memorable-words.js';
import { PasswordHasher } from '../../sample-app/security/password-hasher.js';
import { expectError } from '../support/expect-error.js';
import { send, type RawResponse, type RequestOptions } from '../support/http-client.js';
import { LogCapture } from '../support/log-capture.js';
import { redisSkipReason } from '../support/redis-server.mjs';
import { signatureHeader, signatureValue } from '../support/signing.js';

type StoreKind = 'memory' | 'redis';

const SEED_CODES = Object.entries(API_ERROR_CATALOGUE)
  .filter(([, definition]) => definition.origin === 'seed')
  .map(([code]) => code)
  .sort();

const redisSkip = redisSkipReason();
const withMemory: [SampleAdapter, StoreKind][] = [
  ['express', 'memory'],
  ['fastify', 'memory'],
];
const withRedis: [SampleAdapter, StoreKind][] = [
  ['express', 'redis'],
  ['fastify', 'redis'],
];
if (redisSkip !== undefined) {
  console.warn(`sample app on Redis skipped: ${redisSkip}`);
}

/** Cheap scrypt for the suite (the app's default is N = 2^17: 128 MiB and ~0.3 s a hash). */
const TEST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
/** The default per-account limits; the per-address ones high, as every request here comes from 127.0.0.1. */
const testLimits = (): SampleAttemptLimits => ({
  signIn: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 100_000, windowSeconds: 900 } },
  secondFactor: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 100_000, windowSeconds: 900 } },
  controlAnswer: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 100_000, windowSeconds: 900 } },
});

describe('seed contract', () => {
  it('has 37 codes', () => {
    expect(SEED_CODES).toHaveLength(37);
  });
});

function sampleAppSuite(adapter: SampleAdapter, store: StoreKind): void {
  let app: INestApplication;
  let baseUrl: string;
  let clockOffsetMs = 0;
  const logs = new LogCapture();
  /** Codes this run of the suite has seen, with the route that answered each. */
  const seen = new Map<string, string>();
  /** The error id of every error response. */
  const errorIds: string[] = [];
  /** Every secret sent, to look for in the logs at the end. */
  const secrets = new Set<string>([
    DEMO.apiKey,
    DEMO.mobileApiKey,
    DEMO.revokedApiKey,
    DEMO.signingSecret,
    DEMO.captcha.pass,
    DEMO.captcha.fail,
  ]);
  const { alice, bob, carol, restricted, closed, denied } = DEMO.users;
  for (const user of [alice, bob, carol, restricted, closed, denied]) {
    secrets.add(user.password);
  }
  secrets.add(alice.controlAnswer);
  alice.backupCodes.forEach(code => secrets.add(code));

  const key = { 'x-api-key': DEMO.apiKey };

  async function call(
    method: string,
    path: string,
    options: Omit<RequestOptions, 'method'> & { token?: string } = {},
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { ...key, ...(options.headers as Record<string, string> | undefined) };
    if (options.token !== undefined) {
      headers.authorization = `Bearer ${options.token}`;
      secrets.add(options.token);
    }
    const response = await send(baseUrl, path, { ...options, method, headers });
    if (response.status >= 400) {
      seen.set(response.json.error_code, `${method} ${path}`);
      errorIds.push(response.json.error_id);
    }
    return response;
  }

  function expectSuccess(response: RawResponse, status = 200): any {
    expect({ status: response.status, body: response.json?.status }).toEqual({ status, body: 'success' });
    return response.json;
  }

  async function login(loginId: string, password: string): Promise<any> {
    return expectSuccess(
      await call('POST', '/auth/login', { body: { login_id: loginId, password, captcha_response: DEMO.captcha.pass } }),
    );
  }

  /** A signed-in session (second factor passed by memorable letters when the user has one). */
  async function session(loginId: string, password: string): Promise<string> {
    const answer = await login(loginId, password);
    if (answer.session_state === 'second_factor') {
      await passMemorableLetters(answer.token, answer.memorable_positions);
    }
    return answer.token as string;
  }

  /** Asserts a refusal of memorable letters, which names the positions to give next; returns them. */
  function expectLettersRefused(response: RawResponse): number[] {
    const positions = response.json.memorable_positions as number[];
    expectError(response, 'auth.memorable.invalid', {
      messages: [`Give the letters at positions ${positions.join(', ')} of your memorable word.`],
      fields: { memorable_positions: positions },
    });
    return positions;
  }

  async function passMemorableLetters(token: string, positions: number[]): Promise<void> {
    const memorable_letters = Object.fromEntries(
      positions.map(position => [String(position), alice.memorableWord[position - 1]]),
    );
    expectSuccess(await call('POST', '/auth/second-factor/memorable-letters', { token, body: { memorable_letters } }));
  }

  /** A report request signed with the demo partner key (created now unless told). */
  function signed(body: object, created?: number): RequestOptions {
    const raw = JSON.stringify(body);
    const authorization = signatureHeader({
      keyId: DEMO.signingKeyId,
      secret: DEMO.signingSecret,
      path: '/partner/reports',
      body: raw,
      created,
    });
    secrets.add(signatureValue(authorization));
    return { body: raw, headers: { 'content-type': 'application/json', authorization } };
  }

  const config: SampleConfig = {
    adapter,
    database: ':memory:',
    dataDir: null,
    redisUrl: store === 'redis' ? process.env.REDIS_URL : undefined,
    redisKeyPrefix: `sample-e2e-${process.pid}-${adapter}-${Date.now()}:`,
    demoMode: true,
    sessionTtlSeconds: 900,
    now: () => Date.now() + clockOffsetMs,
    clientErrorLogLevel: 'log',
    attemptLimits: testLimits(),
    scrypt: TEST_SCRYPT,
  };

  /** Clears the counters of one account (or, with `null`, of 127.0.0.1 alone) after a test that used them up. */
  async function clearAttempts(secret: GuessedSecret, userId: number | null): Promise<void> {
    await app.get(AttemptLimiter).clear(attemptLimits(config, secret, userId, '127.0.0.1'));
  }

  function userId(loginId: string): number {
    return (
      app.get(DatabaseService).db.prepare('SELECT id FROM users WHERE login_id = ?').get(loginId) as { id: number }
    ).id;
  }

  /** A new account (password for critical changes, no second factor). */
  async function createAccount(
    loginId: string,
    password = `${loginId}-demo-password`,
  ): Promise<{ id: number; password: string }> {
    secrets.add(password);
    const body = {
      login_id: loginId,
      password,
      email: `${loginId}@example.com`,
      captcha_response: DEMO.captcha.pass,
      accept_disclaimers: [...DEMO.disclaimers],
    };
    const created = expectSuccess(await call('POST', '/accounts', { body }), 201);
    return { id: created.id as number, password };
  }

  beforeAll(async () => {
    app = await createSampleApp(config, { logger: logs });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    if (!baseUrl.includes('127.0.0.1')) {
      baseUrl = baseUrl.replace(/\/\/[^:/]+/, '//127.0.0.1');
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('listens on a real port', () => {
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
  });

  describe('client applications (API keys)', () => {
    it('refuses a request without X-Api-Key', async () => {
      expectError(
        await send(baseUrl, '/me').then(response => (seen.set(response.json.error_code, 'GET /me'), response)),
        'auth.apikey.missing',
      );
    });

    it('refuses an unknown and a revoked key', async () => {
      expectError(await call('GET', '/me', { headers: { 'x-api-key': 'no-such-key' } }), 'auth.apikey.invalid');
      expectError(await call('GET', '/me', { headers: { 'x-api-key': DEMO.revokedApiKey } }), 'auth.apikey.invalid');
    });
  });

  describe('signing in', () => {
    it('needs a solved captcha; a provider outage is a 503, not a pass', async () => {
      const credentials = { login_id: bob.loginId, password: bob.password };
      expectError(await call('POST', '/auth/login', { body: credentials }), 'auth.captcha.missing');
      expectError(
        await call('POST', '/auth/login', { body: { ...credentials, captcha_response: DEMO.captcha.fail } }),
        'auth.captcha.invalid',
      );
      expectError(
        await call('POST', '/auth/login', { body: { ...credentials, captcha_response: DEMO.captcha.unavailable } }),
        'server.unavailable',
      );
    });

    it('answers an unknown login id, a wrong password and a body that fails validation', async () => {
      expectError(
        await call('POST', '/auth/login', {
          body: { login_id: 'nobody', password: 'whatever-password', captcha_response: DEMO.captcha.pass },
        }),
        'auth.loginid.notfound',
      );
      expectError(
        await call('POST', '/auth/login', {
          body: { login_id: bob.loginId, password: 'wrong-password', captcha_response: DEMO.captcha.pass },
        }),
        'auth.password.invalid',
      );
      expectError(
        await call('POST', '/auth/login', { body: { login_id: bob.loginId, captcha_response: DEMO.captcha.pass } }),
        'request.validation.failed',
        {
          messages: {
            password: [
              'password must be shorter than or equal to 200 characters',
              'password should not be empty',
              'password must be a string',
            ],
          },
        },
      );
    });

    it('gives an active session to a user without a second factor', async () => {
      const answer = await login(bob.loginId, bob.password);
      expect(answer).toEqual({
        status: 'success',
        token: expect.any(String),
        expires_in: 900,
        session_state: 'active',
      });
      const me = expectSuccess(await call('GET', '/me', { token: answer.token }));
      expect(me).toMatchObject({ login_id: 'bob', email: 'bob@example.com', account_status: 'active' });
    });
  });

  describe('the Authorization header', () => {
    it('is required, in a known scheme, with a genuine token', async () => {
      expectError(await call('GET', '/me'), 'auth.header.missing');
      expectError(
        await call('GET', '/me', { headers: { authorization: 'Basic Ym9iOmJvYg==' } }),
        'auth.header.invalid',
      );
      const token = (await login(bob.loginId, bob.password)).token as string;
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      expectError(await call('GET', '/me', { token: forged }), 'auth.token.invalid');
      expect((await call('GET', '/me', { token: token.slice(0, -2) })).json.error_code).toBe('auth.token.invalid');
    });

    it('refuses a session token on the partner route, which takes signatures only', async () => {
      const token = (await login(bob.loginId, bob.password)).token as string;
      expectError(
        await call('POST', '/partner/reports', { token, body: { period: '2026-11', total: 1 } }),
        'auth.header.invalid',
      );
    });
  });

  describe('sessions', () => {
    it('ends at logout: the same token is then auth.session.invalid', async () => {
      const token = await session(bob.loginId, bob.password);
      expect(expectSuccess(await call('POST', '/auth/logout', { token }))).toEqual({
        status: 'success',
        session_state: 'ended',
      });
      expectError(await call('GET', '/me', { token }), 'auth.session.invalid', {
        messages: ['The session has ended: sign in again.'],
      });
    });

    it('refuses a session used with the key of another client application', async () => {
      const token = await session(bob.loginId, bob.password);
      expectError(
        await call('GET', '/me', { token, headers: { 'x-api-key': DEMO.mobileApiKey } }),
        'auth.session.invalid',
        { messages: ['This session belongs to another client application.'] },
      );
      expectSuccess(await call('GET', '/me', { token }));
    });
  });

  describe('second factor', () => {
    it('keeps a pending session out of everything but the second-factor steps', async () => {
      const answer = await login(alice.loginId, alice.password);
      expect(answer).toEqual({
        status: 'success',
        token: expect.any(String),
        expires_in: 900,
        session_state: 'second_factor',
        memorable_positions: expect.any(Array),
      });
      expectError(await call('GET', '/me', { token: answer.token }), 'auth.session.invalid', {
        messages: ['Complete the second factor of this session first.'],
      });
      // not even as far as sending an SMS for a critical change
      expectError(
        await call('PUT', '/me/phone', { token: answer.token, body: { phone: '+447700900099' } }),
        'auth.session.invalid',
        { messages: ['Complete the second factor of this session first.'] },
      );
    });

    it('refuses a wrong backup code, accepts a right one once', async () => {
      const first = await login(alice.loginId, alice.password);
      expectError(
        await call('POST', '/auth/second-factor/backup-code', {
          token: first.token,
          body: { backup_code: '9999-9999' },
        }),
        'auth.backupcode.invalid',
      );
      expectSuccess(
        await call('POST', '/auth/second-factor/backup-code', {
          token: first.token,
          body: { backup_code: alice.backupCodes[0] },
        }),
      );
      expectSuccess(await call('GET', '/me', { token: first.token }));
      expectError(
        await call('POST', '/auth/second-factor/backup-code', {
          token: first.token,
          body: { backup_code: alice.backupCodes[1] },
        }),
        'auth.session.invalid',
        { messages: ['This session has completed its second factor already.'] },
      );
      const second = await login(alice.loginId, alice.password);
      expectError(
        await call('POST', '/auth/second-factor/backup-code', {
          token: second.token,
          body: { backup_code: alice.backupCodes[0] },
        }),
        'auth.backupcode.invalid',
      );
    });

    it('refuses wrong memorable letters, asking for other positions each time; accepts the right ones', async () => {
      await clearAttempts('secondFactor', userId(alice.loginId));
      const answer = await login(alice.loginId, alice.password);
      const first = answer.memorable_positions as number[];
      expect(first).toHaveLength(3);
      const wrong = Object.fromEntries(
        first.map(position => [String(position), alice.memorableWord[position - 1] === 'z' ? 'y' : 'z']),
      );
      const refused = await call('POST', '/auth/second-factor/memorable-letters', {
        token: answer.token,
        body: { memorable_letters: wrong },
      });
      const second = expectLettersRefused(refused);
      expect(second).toHaveLength(3);
      expect(second).not.toEqual(first);
      // the right letters of the positions asked before count for nothing now
      const stale = await call('POST', '/auth/second-factor/memorable-letters', {
        token: answer.token,
        body: {
          memorable_letters: Object.fromEntries(
            first.map(position => [String(position), alice.memorableWord[position - 1]]),
          ),
        },
      });
      const third = expectLettersRefused(stale);
      expect(third).not.toEqual(second);
      const missingOne = Object.fromEntries(
        third.slice(1).map(position => [String(position), alice.memorableWord[position - 1]]),
      );
      const incomplete = await call('POST', '/auth/second-factor/memorable-letters', {
        token: answer.token,
        body: { memorable_letters: missingOne },
      });
      await passMemorableLetters(answer.token, expectLettersRefused(incomplete));
      expectSuccess(await call('GET', '/me', { token: answer.token }));
    });
  });

  describe('guessing is limited (per account and per client address, counted before the check)', () => {
    const signIn = (loginId: string, password: string): Promise<RawResponse> =>
      call('POST', '/auth/login', { body: { login_id: loginId, password, captcha_response: DEMO.captcha.pass } });
    const memorable = (token: string, memorable_letters: Record<string, string>): Promise<RawResponse> =>
      call('POST', '/auth/second-factor/memorable-letters', { token, body: { memorable_letters } });
    const backupCode = (token: string, backup_code: string): Promise<RawResponse> =>
      call('POST', '/auth/second-factor/backup-code', { token, body: { backup_code } });

    function expectThrottled(response: RawResponse, message: string): void {
      expectError(response, 'request.rate.exceeded', {
        messages: [message],
        fields: { retry_after: response.json.retry_after },
      });
      expect(response.json.retry_after).toBeGreaterThan(0);
      expect(response.json.retry_after).toBeLessThanOrEqual(900);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }

    it('sign-in: 30 wrong passwords are 5 × 401, then 429 with retry_after; then the right password is 429 too', async () => {
      const { password } = await createAccount('tess');
      const codes: string[] = [];
      for (let i = 0; i < 30; i++) {
        const answer = await signIn('tess', `wrong-password-${i}`);
        codes.push(answer.json.error_code);
        if (i === 29) {
          expectThrottled(answer, 'Too many sign-in attempts; wait before trying again.');
        }
      }
      expect(codes).toEqual([...Array(5).fill('auth.password.invalid'), ...Array(25).fill('request.rate.exceeded')]);
      expectThrottled(await signIn('tess', password), 'Too many sign-in attempts; wait before trying again.');
      // another account from the same address is not locked by tess's counter
      expectSuccess(await signIn(bob.loginId, bob.password));
    });

    it('sign-in: of 200 wrong passwords sent at once, exactly 5 reach the password check', async () => {
      await createAccount('pat');
      const hasher = app.get(PasswordHasher);
      const verify = hasher.verify.bind(hasher);
      let checks = 0;
      hasher.verify = (secret: string, stored: string | null): Promise<boolean> => {
        checks++;
        return verify(secret, stored);
      };
      try {
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn('pat', `parallel-guess-${i}`)));
        const statuses = answers.map(answer => answer.status);
        expect(statuses.filter(status => status === 401)).toHaveLength(5);
        expect(statuses.filter(status => status === 429)).toHaveLength(195);
        expect(checks).toBe(5);
      } finally {
        hasher.verify = verify;
      }
    });

    it('sign-in: the client address has its own limit, which unknown login ids count against (and a success does not clear)', async () => {
      const limits = config.attemptLimits as SampleAttemptLimits;
      const saved = limits.signIn.ip;
      await clearAttempts('signIn', null);
      limits.signIn.ip = { maxAttempts: 8, windowSeconds: 900 };
      try {
        expectSuccess(await signIn(bob.loginId, bob.password));
        const codes: string[] = [];
        for (let i = 0; i < 10; i++) {
          codes.push((await signIn(`nobody-${i}`, 'some-password')).json.error_code);
        }
        expect(codes).toEqual([...Array(7).fill('auth.loginid.notfound'), ...Array(3).fill('request.rate.exceeded')]);
        expectThrottled(
          await signIn(bob.loginId, bob.password),
          'Too many sign-in attempts; wait before trying again.',
        );
      } finally {
        limits.signIn.ip = saved;
        await clearAttempts('signIn', null);
      }
    });

    it('memorable letters: 30 wrong answers are 5 × 401, then 429; then the right letters (and a backup code) are 429 too', async () => {
      const aliceId = userId(alice.loginId);
      await clearAttempts('secondFactor', aliceId);
      try {
        const answer = await login(alice.loginId, alice.password);
        let positions = answer.memorable_positions as number[];
        const codes: string[] = [];
        for (let i = 0; i < 30; i++) {
          const refused = await memorable(
            answer.token,
            Object.fromEntries(
              positions.map(position => [String(position), alice.memorableWord[position - 1] === 'q' ? 'x' : 'q']),
            ),
          );
          codes.push(refused.json.error_code);
          positions = refused.json.memorable_positions ?? positions;
          if (i === 29) {
            expectThrottled(refused, 'Too many second-factor attempts; wait before trying again.');
          }
        }
        expect(codes).toEqual([...Array(5).fill('auth.memorable.invalid'), ...Array(25).fill('request.rate.exceeded')]);
        const right = Object.fromEntries(
          positions.map(position => [String(position), alice.memorableWord[position - 1] ?? '']),
        );
        expectThrottled(
          await memorable(answer.token, right),
          'Too many second-factor attempts; wait before trying again.',
        );
        expectThrottled(
          await backupCode(answer.token, alice.backupCodes[1]),
          'Too many second-factor attempts; wait before trying again.',
        );
        expectError(await call('GET', '/me', { token: answer.token }), 'auth.session.invalid', {
          messages: ['Complete the second factor of this session first.'],
        });
      } finally {
        await clearAttempts('secondFactor', aliceId);
      }
    });

    it('backup codes: 30 wrong codes are 5 × 401, then 429; then an unused right code is 429 too (and stays unused)', async () => {
      const aliceId = userId(alice.loginId);
      await clearAttempts('secondFactor', aliceId);
      try {
        const answer = await login(alice.loginId, alice.password);
        const codes: string[] = [];
        for (let i = 0; i < 30; i++) {
          codes.push((await backupCode(answer.token, `0000-${String(1000 + i)}`)).json.error_code);
        }
        expect(codes).toEqual([
          ...Array(5).fill('auth.backupcode.invalid'),
          ...Array(25).fill('request.rate.exceeded'),
        ]);
        expectThrottled(
          await backupCode(answer.token, alice.backupCodes[1]),
          'Too many second-factor attempts; wait before trying again.',
        );
        const unused = app
          .get(DatabaseService)
          .db.prepare('SELECT count(*) AS n FROM backup_codes WHERE user_id = ? AND used_at IS NULL')
          .get(aliceId) as { n: number };
        expect(unused.n).toBe(1);
      } finally {
        await clearAttempts('secondFactor', aliceId);
      }
    });

    it('memorable letters: of 50 wrong answers sent at once, exactly 5 are checked', async () => {
      const aliceId = userId(alice.loginId);
      await clearAttempts('secondFactor', aliceId);
      try {
        const answer = await login(alice.loginId, alice.password);
        const guesses = await Promise.all(
          Array.from({ length: 50 }, () => memorable(answer.token, { '1': '0', '2': '0', '3': '0' })),
        );
        const statuses = guesses.map(guess => guess.status);
        expect(statuses.filter(status => status === 401)).toHaveLength(5);
        expect(statuses.filter(status => status === 429)).toHaveLength(45);
      } finally {
        await clearAttempts('secondFactor', aliceId);
      }
    });
  });

  describe('stored secrets', () => {
    it('hashes with scrypt at the configured work factors, stored beside each hash', () => {
      const { password_hash } = app
        .get(DatabaseService)
        .db.prepare('SELECT password_hash FROM users WHERE login_id = ?')
        .get(bob.loginId) as { password_hash: string };
      expect(password_hash).toMatch(
        new RegExp(
          `^scrypt\\$${TEST_SCRYPT.N}\\$${TEST_SCRYPT.r}\\$${TEST_SCRYPT.p}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`,
        ),
      );
    });

    it('verifies a hash made with weaker work factors, and replaces it at that sign-in', async () => {
      const { id, password } = await createAccount('wendy');
      const db = app.get(DatabaseService).db;
      const weak = await new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }).hash(password);
      db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(weak, id);
      expectError(
        await call('POST', '/auth/login', {
          body: { login_id: 'wendy', password: 'not-her-password', captcha_response: DEMO.captcha.pass },
        }),
        'auth.password.invalid',
      );
      expect(
        (db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string }).password_hash,
      ).toBe(weak);
      await login('wendy', password);
      const rehashed = (db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string })
        .password_hash;
      expect(rehashed.startsWith(`scrypt$${TEST_SCRYPT.N}$${TEST_SCRYPT.r}$${TEST_SCRYPT.p}$`)).toBe(true);
      await login('wendy', password);
    });

    it('keeps no memorable word (nor anything that opens it, nor per-letter hashes) in the database', () => {
      const db = app.get(DatabaseService).db;
      const users = db.prepare('SELECT * FROM users').all() as Record<string, unknown>[];
      const dump = JSON.stringify(users);
      expect(dump).not.toContain(alice.memorableWord);
      expect(Object.keys(users[0] ?? {})).not.toContain('memorable_word_hash');
      const aliceRow = users.find(row => row.login_id === alice.loginId) as {
        id: number;
        memorable_word_sealed: string;
      };
      expect(aliceRow.memorable_word_sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
      // the whole file, free pages included, does not hold the word either
      expect(db.serialize().includes(Buffer.from(alice.memorableWord))).toBe(false);
      // and none of the keys the database keeps opens it: its key lives elsewhere
      const settings = db.prepare('SELECT value FROM settings').all() as { value: string }[];
      expect(settings.length).toBeGreaterThan(0);
      for (const { value } of settings) {
        const key = Buffer.from(value, 'base64url');
        expect(key).toHaveLength(32);
        expect(() => new MemorableWords(key).open(aliceRow.id, aliceRow.memorable_word_sealed)).toThrow();
      }
      expect(app.get(MemorableWords).open(aliceRow.id, aliceRow.memorable_word_sealed).join('')).toBe(
        alice.memorableWord,
      );
    });
  });

  describe('without demo mode', () => {
    let plain: INestApplication;
    let plainUrl: string;

    beforeAll(async () => {
      // The same logger: Nest's logger is process-wide, and the secrets check below covers this app too.
      plain = await createSampleApp(
        { ...config, demoMode: false, redisUrl: undefined, attemptLimits: testLimits() },
        { logger: logs },
      );
      await plain.listen(0, '127.0.0.1');
      plainUrl = (await plain.getUrl()).replace(/\/\/[^:/]+/, '//127.0.0.1');
    });

    afterAll(async () => {
      await plain?.close();
    });

    it('does not mount the demo OAuth provider', async () => {
      const token = await send(plainUrl, '/demo-oauth/token', {
        method: 'POST',
        body: { grant_type: 'authorization_code', code: `demo:${bob.oauthSubject}` },
      });
      expect(token.status).toBe(404);
      expect(token.json.error_code).toBe('request.route.notfound');
    });

    it('does not sign anyone in with a demo: code', async () => {
      const answer = await send(plainUrl, '/auth/oauth', {
        method: 'POST',
        headers: key,
        body: { provider_code: `demo:${bob.oauthSubject}` },
      });
      expect({ status: answer.status, code: answer.json.error_code }).toEqual({
        status: 401,
        code: 'auth.oauth.failed',
      });
      // the rest of the app works as before
      const login = await send(plainUrl, '/auth/login', {
        method: 'POST',
        headers: key,
        body: { login_id: bob.loginId, password: bob.password, captcha_response: DEMO.captcha.pass },
      });
      expect(login.status).toBe(200);
    });
  });

  describe('user status', () => {
    it.each([
      [restricted.loginId, 'auth.user.restricted', restricted],
      [closed.loginId, 'auth.user.closed', closed],
      [denied.loginId, 'auth.user.denied', denied],
    ] as const)('refuses %s with 403 %s', async (_name, code, user) => {
      const token = (await login(user.loginId, user.password)).token as string;
      expectError(await call('GET', '/me', { token }), code);
    });
  });

  describe('critical changes', () => {
    it('password: required, wrong, then checked before the identifier', async () => {
      const token = await session(bob.loginId, bob.password);
      const required = await call('PUT', '/me/email', { token, body: { email: 'bob@new.example.com' } });
      expectError(required, 'critical.auth.required', { fields: { critical_auth_method: 'password' } });
      expect(required.json.critical_auth_method).toBe('password');
      expectError(
        await call('PUT', '/me/email', { token, body: { email: 'bob@new.example.com', password: 'wrong-password' } }),
        'auth.password.invalid',
      );
      expectError(
        await call('PUT', '/me/email', { token, body: { email: alice.email, password: bob.password } }),
        'profile.identifier.used',
        {
          messages: {
            email: ['This email address belongs to another profile.'],
          },
        },
      );
      expectError(
        await call('PUT', '/me/email', { token, body: { email: 'not an email', password: bob.password } }),
        'profile.identifier.invalid',
        { messages: { email: ['Give an email address such as name@example.com.'] } },
      );
      expect(
        expectSuccess(
          await call('PUT', '/me/email', { token, body: { email: ' Bob@New.Example.com ', password: bob.password } }),
        ),
      ).toEqual({
        status: 'success',
        email: 'bob@new.example.com',
      });
    });

    it('OTP: sent by SMS, a wrong code refused, the right one accepted once', async () => {
      const token = await session(alice.loginId, alice.password);
      const body = { phone: '+44 7700 900123' };
      const required = await call('PUT', '/me/phone', { token, body });
      expectError(required, 'critical.auth.required', { fields: { critical_auth_method: 'otp' } });
      expect(required.json.critical_auth_method).toBe('otp');
      const sms = app.get(DemoSmsGateway).lastTo(alice.phone);
      expect(sms?.code).toMatch(/^[0-9]{6}$/);
      const code = sms?.code as string;
      secrets.add(code);
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await call('PUT', '/me/phone', { token, body: { ...body, otp: wrong } }), 'auth.otp.invalid');
      expectError(
        await call('PUT', '/me/phone', { token, body: { phone: '+447700900124', otp: code } }),
        'auth.otp.invalid',
      );
      expect(expectSuccess(await call('PUT', '/me/phone', { token, body: { ...body, otp: code } }))).toEqual({
        status: 'success',
        phone: '+447700900123',
      });
      expectError(await call('PUT', '/me/phone', { token, body: { ...body, otp: code } }), 'auth.otp.invalid');
    });

    it('throttles re-sends with 429 and Retry-After', async () => {
      const token = await session(carol.loginId, carol.password);
      expectError(
        await call('PUT', '/me/email', { token, body: { email: 'carol@example.com' } }),
        'critical.auth.required',
        { fields: { critical_auth_method: 'otp' } },
      );
      const again = await call('PUT', '/me/email', { token, body: { email: 'carol@example.com' } });
      expectError(again, 'request.rate.exceeded', {
        messages: [
          'A one-time password was sent moments ago; repeat the request with it, or wait before asking for another.',
        ],
        fields: { retry_after: again.json.retry_after },
      });
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('access recovery', () => {
    const recover = (body: object): Promise<RawResponse> => call('POST', '/recovery', { body });

    it('answers a method the profile has not set up, or that is turned off', async () => {
      expectError(await recover({ login_id: bob.loginId, method: 'question' }), 'recovery.question.notset');
      expectError(await recover({ login_id: bob.loginId, method: 'phone' }), 'recovery.phone.notset');
      expectError(await recover({ login_id: carol.loginId, method: 'email' }), 'recovery.email.notset');
      expectError(await recover({ login_id: carol.loginId, method: 'phone' }), 'recovery.method.restricted');
      // the mobile app offers recovery by email only
      expectError(
        await call('POST', '/recovery', {
          body: { login_id: bob.loginId, method: 'question' },
          headers: { 'x-api-key': DEMO.mobileApiKey },
        }),
        'recovery.method.restricted',
      );
      expectError(await recover({ login_id: 'nobody', method: 'email' }), 'auth.loginid.notfound');
      expectError(await recover({ login_id: bob.loginId, method: 'pigeon' }), 'request.validation.failed', {
        messages: {
          method: ['method must be one of the following values: question, phone, email'],
        },
      });
      expect(expectSuccess(await recover({ login_id: bob.loginId, method: 'email' }))).toEqual({
        status: 'success',
        method: 'email',
        sent_to: expect.stringMatching(/^bob•+om$/),
      });
    });

    it('by control question: the question, a wrong answer, then a new password', async () => {
      expect(expectSuccess(await recover({ login_id: alice.loginId, method: 'question' }))).toEqual({
        status: 'success',
        method: 'question',
        control_question: alice.controlQuestion,
      });
      expectError(
        await recover({ login_id: alice.loginId, method: 'question', control_answer: 'tiddles' }),
        'auth.controlanswer.invalid',
      );
      const newPassword = 'alice-new-password-2026';
      secrets.add(newPassword);
      expect(
        expectSuccess(
          await recover({
            login_id: alice.loginId,
            method: 'question',
            control_answer: ' REX ',
            new_password: newPassword,
          }),
        ),
      ).toMatchObject({
        password_changed: true,
      });
      expectError(
        await call('POST', '/auth/login', {
          body: { login_id: alice.loginId, password: alice.password, captcha_response: DEMO.captcha.pass },
        }),
        'auth.password.invalid',
      );
      expectSuccess(
        await recover({
          login_id: alice.loginId,
          method: 'question',
          control_answer: alice.controlAnswer,
          new_password: alice.password,
        }),
      );
    });

    it('throttles control answers: five wrong ones, even at once, then 429 even for the right one', async () => {
      const guesses = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map(answer =>
          recover({ login_id: alice.loginId, method: 'question', control_answer: answer }),
        ),
      );
      expect(guesses.map(guess => guess.json.error_code)).toEqual(Array(5).fill('auth.controlanswer.invalid'));
      const throttled = await recover({
        login_id: alice.loginId,
        method: 'question',
        control_answer: alice.controlAnswer,
      });
      expectError(throttled, 'request.rate.exceeded', {
        messages: ['Too many control answers; wait before trying again.'],
        fields: { retry_after: throttled.json.retry_after },
      });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('OAuth', () => {
    const oauth = (code: string): Promise<RawResponse> =>
      call('POST', '/auth/oauth', { body: { provider_code: code } });

    it('fails when the provider refuses, and when its user is not linked here', async () => {
      expectError(await oauth('nope'), 'auth.oauth.failed');
      expectError(await oauth('demo:someone-new'), 'auth.oauth.notfound');
      const answer = expectSuccess(await oauth(`demo:${bob.oauthSubject}`));
      expect(expectSuccess(await call('GET', '/me', { token: answer.token }))).toMatchObject({ login_id: 'bob' });
    });

    it('links a provider account only after the password (a new way to sign in is a critical change)', async () => {
      const token = await session(bob.loginId, bob.password);
      const required = await call('POST', '/me/oauth-links', { token, body: { provider_code: 'demo:bob-at-work' } });
      expectError(required, 'critical.auth.required', { fields: { critical_auth_method: 'password' } });
      expect(required.json.critical_auth_method).toBe('password');
      expectError(
        await call('POST', '/me/oauth-links', {
          token,
          body: { provider_code: 'demo:bob-at-work', password: 'wrong-password' },
        }),
        'auth.password.invalid',
      );
      expectError(await oauth('demo:bob-at-work'), 'auth.oauth.notfound');
      expect(
        expectSuccess(
          await call('POST', '/me/oauth-links', {
            token,
            body: { provider_code: 'demo:bob-at-work', password: bob.password },
          }),
          201,
        ),
      ).toEqual({
        status: 'success',
        provider: 'demo',
        subject: 'bob-at-work',
      });
      expect(expectSuccess(await oauth('demo:bob-at-work'))).toMatchObject({ session_state: 'active' });
    });

    it('links a provider account to one profile only', async () => {
      const token = await session(bob.loginId, bob.password);
      expectError(
        await call('POST', '/me/oauth-links', {
          token,
          body: { provider_code: `demo:${carol.oauthSubject}`, password: bob.password },
        }),
        'oauth.identifier.used',
      );
    });
  });

  describe('signing up', () => {
    const account = { login_id: 'erin', password: 'erin-demo-password', email: 'erin@example.com' };

    it('requires both disclaimers accepted', async () => {
      expectError(
        await call('POST', '/accounts', { body: { ...account, captcha_response: DEMO.captcha.pass } }),
        'auth.disclaimer.invalid',
        {
          messages: {
            accept_disclaimers: [
              'Disclaimer "terms-2026-01" must be accepted.',
              'Disclaimer "privacy-2026-01" must be accepted.',
            ],
          },
        },
      );
      expectError(
        await call('POST', '/accounts', {
          body: { ...account, captcha_response: DEMO.captcha.pass, accept_disclaimers: [DEMO.disclaimers[0]] },
        }),
        'auth.disclaimer.invalid',
        { messages: { accept_disclaimers: ['Disclaimer "privacy-2026-01" must be accepted.'] } },
      );
    });

    it('creates the account once; identifiers are checked', async () => {
      secrets.add(account.password);
      const body = { ...account, captcha_response: DEMO.captcha.pass, accept_disclaimers: [...DEMO.disclaimers] };
      expect(expectSuccess(await call('POST', '/accounts', { body }), 201)).toEqual({
        status: 'success',
        id: expect.any(Number),
        login_id: 'erin',
      });
      expectError(
        await call('POST', '/accounts', { body: { ...body, login_id: 'erin2' } }),
        'profile.identifier.used',
        {
          messages: { email: ['This email address belongs to another profile.'] },
        },
      );
      expectError(
        await call('POST', '/accounts', { body: { ...body, login_id: 'erin3', email: 'erin@@example' } }),
        'profile.identifier.invalid',
        {
          messages: {
            email: ['Give an email address such as name@example.com.'],
          },
        },
      );
      expectError(await call('POST', '/accounts', { body }), 'request.validation.failed', {
        messages: {
          login_id: ['This login id is taken.'],
        },
      });
    });

    it('lets exactly three of five simultaneous object creations through the limit', async () => {
      const token = await session(account.login_id, account.password);
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          call('POST', '/objects', { token, body: { type: 'note', name: `note ${i}` } }),
        ),
      );
      expect(answers.map(answer => answer.status).sort()).toEqual([201, 201, 201, 403, 403]);
      for (const refused of answers.filter(answer => answer.status === 403)) {
        expectError(refused, 'object.limit.exceeded', {
          messages: ['You have 3 objects, the most you can keep. Delete one first.'],
        });
      }
    });
  });

  describe('objects', () => {
    it('not found, someone else’s, and the limit', async () => {
      const token = await session(bob.loginId, bob.password);
      expectError(await call('GET', '/objects/999', { token }), 'object.id.notfound', {
        messages: ['There is no object 999.'],
      });
      expectError(await call('GET', '/objects/1', { token }), 'auth.restricted', {
        messages: ['This object belongs to another user and is not shared.'],
      });
      expect(expectSuccess(await call('GET', '/objects/2', { token }))).toMatchObject({
        name: 'Holiday plan',
        shared: true,
      });
      expectError(await call('DELETE', '/objects/2', { token }), 'auth.restricted', {
        messages: ['Only the owner can delete an object.'],
      });
      expectError(await call('GET', '/objects/abc', { token }), 'request.validation.failed', {
        messages: {
          id: ['id must be a positive whole number'],
        },
      });
      expectError(
        await call('POST', '/objects', { token, body: { type: 'spaceship', name: '' } }),
        'request.validation.failed',
        {
          messages: {
            type: ['type must be one of the following values: note, document, link'],
            name: ['name should not be empty'],
          },
        },
      );
      const mine = expectSuccess(await call('GET', '/objects', { token })).data as unknown[];
      for (let i = mine.length; i < 3; i++) {
        expectSuccess(await call('POST', '/objects', { token, body: { type: 'link', name: `link ${i}` } }), 201);
      }
      expectError(
        await call('POST', '/objects', { token, body: { type: 'link', name: 'one too many' } }),
        'object.limit.exceeded',
        { messages: ['You have 3 objects, the most you can keep. Delete one first.'] },
      );
    });
  });

  describe('search and members', () => {
    it('refuses a type the client application may not search', async () => {
      const token = await session(bob.loginId, bob.password);
      expectError(await call('GET', '/search?type=users', { token }), 'search.type.restricted', {
        messages: ['Demo web app may search objects, notes.'],
      });
      expectError(await call('GET', '/search?type=planets', { token }), 'request.validation.failed', {
        messages: {
          type: ['type must be one of the following values: objects, notes, users, members'],
        },
      });
      expect(expectSuccess(await call('GET', '/search?type=objects&q=Holiday', { token })).data).toEqual([
        { id: 2, type: 'document', name: 'Holiday plan', shared: true },
      ]);
    });

    it('links a membership only when the register agrees', async () => {
      const bobToken = await session(bob.loginId, bob.password);
      const entry = {
        member_number: DEMO.member.memberNumber,
        surname: DEMO.member.surname,
        date_of_birth: DEMO.member.dateOfBirth,
      };
      expectError(
        await call('POST', '/me/membership', { token: bobToken, body: { ...entry, surname: 'Jones' } }),
        'member.data.invalid',
      );
      expectError(
        await call('POST', '/me/membership', { token: bobToken, body: { ...entry, member_number: 'M-9999' } }),
        'member.data.invalid',
      );
      expectSuccess(
        await call('POST', '/me/membership', { token: bobToken, body: { ...entry, surname: 'smith' } }),
        201,
      );
      const carolToken = await session(carol.loginId, carol.password);
      expectError(await call('POST', '/me/membership', { token: carolToken, body: entry }), 'member.data.invalid');
    });
  });

  describe('the signed partner route', () => {
    it('accepts a fresh signature once; refuses an old one and a replay', async () => {
      const request = signed({ period: '2026-11', total: 42 });
      expect(expectSuccess(await call('POST', '/partner/reports', request), 201)).toEqual({
        status: 'success',
        id: expect.any(Number),
        period: '2026-11',
        total: 42,
        partner: 'partner',
      });
      expectError(await call('POST', '/partner/reports', request), 'auth.signature.invalid');
      expectError(
        await call(
          'POST',
          '/partner/reports',
          signed({ period: '2026-11', total: 42 }, Math.floor(Date.now() / 1000) - 600),
        ),
        'auth.signature.expired',
      );
      const tampered = signed({ period: '2026-11', total: 42 });
      expectError(
        await call('POST', '/partner/reports', { ...tampered, body: JSON.stringify({ period: '2026-11', total: 43 }) }),
        'auth.signature.invalid',
      );
    });
  });

  describe('token expiry', () => {
    it('refuses a token past its expiry (and the 30 s tolerance)', async () => {
      const token = await session(bob.loginId, bob.password);
      clockOffsetMs = 16 * 60 * 1000;
      try {
        expectError(await call('GET', '/me', { token }), 'auth.token.expired');
        expect((await call('GET', '/me', { token })).headers['www-authenticate']).toContain('error="invalid_token"');
      } finally {
        clockOffsetMs = 0;
      }
    });
  });

  describe('OpenAPI', () => {
    let document: any;

    beforeAll(async () => {
      const response = await send(baseUrl, '/docs/openapi.json');
      expect(response.status).toBe(200);
      document = response.json;
    });

    it('serves Swagger UI', async () => {
      const page = await send(baseUrl, '/docs');
      expect(page.status).toBe(200);
      expect(page.text).toContain('swagger-ui');
    });

    it('serves a valid OpenAPI 3 document', async () => {
      const validator = new Validator();
      const result = await validator.validate(structuredClone(document));
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(document.openapi).toMatch(/^3\./);
    });

    it('documents every seed code, each example a valid envelope', () => {
      const validate = new Ajv({ strict: true }).compile(apiErrorBodySchema);
      const documented = new Set<string>();
      for (const operations of Object.values<any>(document.paths)) {
        for (const operation of Object.values<any>(operations)) {
          for (const [status, response] of Object.entries<any>(operation.responses)) {
            for (const example of Object.values<any>(response.content?.['application/json']?.examples ?? {})) {
              if (Number(status) >= 400) {
                expect(validate(example.value)).toBe(true);
                expect(API_ERROR_CATALOGUE[example.value.error_code as keyof typeof API_ERROR_CATALOGUE].status).toBe(
                  Number(status),
                );
                documented.add(example.value.error_code);
              }
            }
          }
        }
      }
      expect(SEED_CODES.filter(code => !documented.has(code))).toEqual([]);
      expect(document.components.schemas.ApiErrorBody.required).toEqual([
        'status',
        'error_code',
        'error_id',
        'messages',
      ]);
    });

    it('derives the codes of a route from its guards and its @ApiErrorResponses()', () => {
      const responses = document.paths['/me/email'].put.responses;
      const codes = (status: number): string[] =>
        Object.keys(responses[status]?.content['application/json'].examples ?? {});
      expect(codes(401)).toEqual([
        'auth.apikey.missing',
        'auth.apikey.invalid',
        'auth.header.missing',
        'auth.header.invalid',
        'auth.token.expired',
        'auth.token.invalid',
        'auth.password.invalid',
        'auth.otp.invalid',
        'auth.session.invalid', // declared once on the sample's SessionStateGuard with @ApiErrorCodes()
      ]);
      expect(codes(403)).toEqual([
        'auth.user.restricted',
        'auth.user.closed',
        'auth.user.denied',
        'critical.auth.required',
        'profile.identifier.used',
        'profile.identifier.invalid',
      ]);
      expect(codes(422)).toEqual(['request.validation.failed']);
      expect(codes(429)).toEqual(['request.rate.exceeded']);
      expect(responses[500]).toEqual({ $ref: '#/components/responses/server.internal.error' });
      expect(responses[401].headers['X-Error-Id']).toMatchObject({ required: true });
      // the partner route takes signatures only
      expect(
        Object.keys(document.paths['/partner/reports'].post.responses[401].content['application/json'].examples),
      ).toEqual(['auth.header.missing', 'auth.header.invalid', 'auth.signature.invalid', 'auth.signature.expired']);
      expect(document.paths['/demo-oauth/token']).toBeUndefined();
    });
  });

  describe('afterwards', () => {
    it('has seen every one of the 37 seed codes', () => {
      const missing = SEED_CODES.filter(code => !seen.has(code));
      expect(missing).toEqual([]);
    });

    it('logged each error once, with its id, and never a secret', () => {
      const lines = logs.lines.map(line => [line.message, ...line.extra].join(' '));
      const errorLines = logs.apiErrorLines().map(line => line.message);
      expect(errorIds.length).toBeGreaterThan(seen.size);
      const notOnce = errorIds.filter(id => errorLines.filter(line => line.includes(`error_id=${id} `)).length !== 1);
      expect(notOnce).toEqual([]);
      for (const secret of secrets) {
        const leaking = lines.filter(line => line.includes(secret));
        expect({ secret: `${secret.slice(0, 4)}…`, leaking }).toEqual({
          secret: `${secret.slice(0, 4)}…`,
          leaking: [],
        });
      }
    });
  });
}

describe.each(withMemory)('sample app over HTTP on %s, %s store', sampleAppSuite);
(redisSkip === undefined ? describe.each(withRedis) : describe.skip.each(withRedis))(
  'sample app over HTTP on %s, %s store',
  sampleAppSuite,
);
