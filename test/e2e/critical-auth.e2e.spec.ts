import { MemoryStore } from 'nestjs-api-errors';
import { PASSWORD, startCriticalApp, tokenFor, type CriticalApp } from '../fixtures/critical-auth.fixture.js';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS } from '../support/fixture-app.js';
import { send, type RawResponse } from '../support/http-client.js';

const RESEND_WAIT = [
  'A one-time password was sent moments ago; repeat the request with it, or wait before asking for another.',
];
const TOO_MANY_CODES = ['Too many wrong one-time passwords; wait before trying again.'];
const TOO_MANY_SENDS = ['Too many one-time passwords were sent today; wait before asking for another.'];

/** A well-formed code that is not the given one. */
const wrongFor = (code: string | undefined): string => (code === '000000' ? '111111' : '000000');

describe.each(ADAPTERS)('critical-change authentication on %s', adapter => {
  let app: CriticalApp;
  let clock = Date.now();
  let store: MemoryStore;
  let user = 0;

  /** A new user per test, so that throttles and OTPs of one test do not reach the next. */
  const newUser = async (method: 'otp' | 'password'): Promise<{ id: string; auth: string }> => {
    const id = `user-${++user}`;
    return { id, auth: `Bearer ${await tokenFor(id, method)}` };
  };
  const put = (auth: string, path: string, body: object): Promise<RawResponse> =>
    send(app.running.baseUrl, path, { method: 'PUT', body, headers: { authorization: auth } });

  beforeAll(async () => {
    store = new MemoryStore({ now: () => clock });
    app = await startCriticalApp(adapter, store);
  });
  afterAll(async () => {
    await app.running.close();
    store.onModuleDestroy();
  });

  describe('OTP', () => {
    it('403 with critical_auth_method "otp", an SMS, then the same request with the code passes, once', async () => {
      const { id, auth } = await newUser('otp');
      const first = await put(auth, '/profile/email', { email: 'new@example.com' });
      expectError(first, 'critical.auth.required', { fields: { critical_auth_method: 'otp' } });
      const code = app.sender.lastCodeFor(id) as string;
      expect(code).toMatch(/^[0-9]{6}$/);
      expect(app.sender.sent.at(-1)?.expiresInSeconds).toBe(300);

      const second = await put(auth, '/profile/email', { email: 'new@example.com', otp: code });
      expect(second.text).toBe('{"status":"success","email":"new@example.com"}');
      expect(app.changes.done).toContain(`${id}:email:new@example.com`);

      expectError(await put(auth, '/profile/email', { email: 'new@example.com', otp: code }), 'auth.otp.invalid');
      expect(app.changes.done.filter(change => change.startsWith(`${id}:`))).toHaveLength(1);
    });

    it('binds the code to the operation: same body in another key order passes, another body or route does not', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/phone', { phone: '+33612345678' });
      const code = app.sender.lastCodeFor(id) as string;
      expectError(await put(auth, '/profile/phone', { phone: '+33600000000', otp: code }), 'auth.otp.invalid');
      expectError(await put(auth, '/profile/email', { email: 'x@example.com', otp: code }), 'auth.otp.invalid');
      const res = await send(app.running.baseUrl, '/profile/phone', {
        method: 'PUT',
        body: `{"otp":"${code}","phone":"+33612345678"}`,
        headers: { authorization: auth, 'content-type': 'application/json' },
      });
      expect(res.text).toBe('{"status":"success","phone":"+33612345678"}');
    });

    it('accepts a wrong code or two, then the right one', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'a@example.com' });
      const code = app.sender.lastCodeFor(id) as string;
      const wrong = wrongFor(code);
      expectError(await put(auth, '/profile/email', { email: 'a@example.com', otp: wrong }), 'auth.otp.invalid');
      expectError(await put(auth, '/profile/email', { email: 'a@example.com', otp: 'abc' }), 'auth.otp.invalid');
      expect((await put(auth, '/profile/email', { email: 'a@example.com', otp: code })).status).toBe(200);
    });

    it('after 5 wrong tries, even the right code waits (429), and the code is burnt', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'b@example.com' });
      const code = app.sender.lastCodeFor(id) as string;
      const wrong = wrongFor(code);
      for (let i = 0; i < 5; i++) {
        expectError(await put(auth, '/profile/email', { email: 'b@example.com', otp: wrong }), 'auth.otp.invalid');
      }
      const refused = await put(auth, '/profile/email', { email: 'b@example.com', otp: code });
      expectError(refused, 'request.rate.exceeded', { fields: { retry_after: 900 }, messages: TOO_MANY_CODES });
      expect(store.entries().map(([key]) => key)).not.toContain(`otp:${id}`);
    });

    it('does not give new tries with a new code: the window counts across re-issues', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'w@example.com' });
      for (let i = 0; i < 3; i++) {
        expectError(
          await put(auth, '/profile/email', { email: 'w@example.com', otp: wrongFor(app.sender.lastCodeFor(id)) }),
          'auth.otp.invalid',
        );
      }
      clock += 31_000;
      await put(auth, '/profile/email', { email: 'w@example.com' });
      for (let i = 0; i < 2; i++) {
        expectError(
          await put(auth, '/profile/email', { email: 'w@example.com', otp: wrongFor(app.sender.lastCodeFor(id)) }),
          'auth.otp.invalid',
        );
      }
      clock += 31_000;
      const sent = app.sender.sent.length;
      expectError(await put(auth, '/profile/email', { email: 'w@example.com' }), 'request.rate.exceeded', {
        fields: { retry_after: 838 },
        messages: TOO_MANY_CODES,
      });
      expect(app.sender.sent).toHaveLength(sent);
      clock += 839_000;
      expectError(await put(auth, '/profile/email', { email: 'w@example.com' }), 'critical.auth.required', {
        fields: { critical_auth_method: 'otp' },
      });
      expect(
        (await put(auth, '/profile/email', { email: 'w@example.com', otp: app.sender.lastCodeFor(id) })).status,
      ).toBe(200);
    });

    it('locks the principal out after 20 wrong codes in a row, across windows, until a day after the first', async () => {
      const { id, auth } = await newUser('otp');
      for (let window = 0; window < 4; window++) {
        expectError(await put(auth, '/profile/email', { email: 'l@example.com' }), 'critical.auth.required', {
          fields: { critical_auth_method: 'otp' },
        });
        for (let i = 0; i < 5; i++) {
          expectError(
            await put(auth, '/profile/email', { email: 'l@example.com', otp: wrongFor(app.sender.lastCodeFor(id)) }),
            'auth.otp.invalid',
          );
        }
        clock += 901_000;
      }
      const sent = app.sender.sent.length;
      const locked = await put(auth, '/profile/email', { email: 'l@example.com' });
      expectError(locked, 'request.rate.exceeded', {
        fields: { retry_after: 86_400 - 4 * 901 },
        messages: TOO_MANY_CODES,
      });
      expect(app.sender.sent).toHaveLength(sent);
      clock += (86_400 - 4 * 901) * 1000;
      expectError(await put(auth, '/profile/email', { email: 'l@example.com' }), 'critical.auth.required', {
        fields: { critical_auth_method: 'otp' },
      });
      expect(
        (await put(auth, '/profile/email', { email: 'l@example.com', otp: app.sender.lastCodeFor(id) })).status,
      ).toBe(200);
    });

    it('sends at most 10 codes a day to one principal', async () => {
      const { id, auth } = await newUser('otp');
      for (let i = 0; i < 10; i++) {
        expectError(await put(auth, '/profile/email', { email: 's@example.com' }), 'critical.auth.required', {
          fields: { critical_auth_method: 'otp' },
        });
        clock += 31_000;
      }
      const capped = await put(auth, '/profile/email', { email: 's@example.com' });
      expectError(capped, 'request.rate.exceeded', {
        fields: { retry_after: 86_400 - 10 * 31 },
        messages: TOO_MANY_SENDS,
      });
      expect(capped.headers['retry-after']).toBe(String(86_400 - 10 * 31));
      expect(app.sender.sent.filter(message => message.principal.id === id)).toHaveLength(10);
    });

    it('refuses an expired code (5 minutes)', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'c@example.com' });
      const code = app.sender.lastCodeFor(id) as string;
      clock += 301_000;
      expectError(await put(auth, '/profile/email', { email: 'c@example.com', otp: code }), 'auth.otp.invalid');
    });

    it('throttles re-sends with 429 and Retry-After, and a re-sent code replaces the old one', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'd@example.com' });
      const old = app.sender.lastCodeFor(id) as string;
      const again = await put(auth, '/profile/email', { email: 'd@example.com' });
      expectError(again, 'request.rate.exceeded', { fields: { retry_after: 30 }, messages: RESEND_WAIT });
      expect(again.headers['retry-after']).toBe('30');
      expect(app.sender.sent.filter(message => message.principal.id === id)).toHaveLength(1);

      clock += 31_000;
      expectError(await put(auth, '/profile/email', { email: 'd@example.com' }), 'critical.auth.required', {
        fields: { critical_auth_method: 'otp' },
      });
      const fresh = app.sender.lastCodeFor(id) as string;
      if (old !== fresh) {
        expectError(await put(auth, '/profile/email', { email: 'd@example.com', otp: old }), 'auth.otp.invalid');
      }
      expect((await put(auth, '/profile/email', { email: 'd@example.com', otp: fresh })).status).toBe(200);
    });

    it('accepts only the policy’s method: a password is not enough', async () => {
      const { auth } = await newUser('otp');
      expectError(
        await put(auth, '/profile/email', { email: 'e@example.com', password: PASSWORD }),
        'critical.auth.required',
        { fields: { critical_auth_method: 'otp' } },
      );
    });

    it('keeps codes out of the logs and out of the store', () => {
      const codes = app.sender.sent.map(message => message.code);
      const logs = app.running.logs.text();
      const stored = JSON.stringify(store.entries());
      for (const code of codes) {
        expect(logs).not.toContain(code);
        expect(stored).not.toContain(`"${code}"`);
      }
    });
  });

  describe('password', () => {
    it('403 with critical_auth_method "password", then the right password passes and is removed from the body', async () => {
      const { auth } = await newUser('password');
      expectError(await put(auth, '/profile/email', { email: 'p@example.com' }), 'critical.auth.required', {
        fields: { critical_auth_method: 'password' },
      });
      const res = await put(auth, '/profile/email', { email: 'p@example.com', password: PASSWORD });
      expect(res.text).toBe('{"status":"success","email":"p@example.com"}');
    });

    it('answers auth.password.invalid for a wrong one', async () => {
      const { auth } = await newUser('password');
      expectError(
        await put(auth, '/profile/email', { email: 'p@example.com', password: 'wrong' }),
        'auth.password.invalid',
      );
      expectError(
        await put(auth, '/profile/email', { email: 'p@example.com', password: 12345 }),
        'auth.password.invalid',
      );
    });

    it('accepts only the policy’s method: an otp is not enough', async () => {
      const { auth } = await newUser('password');
      expectError(
        await put(auth, '/profile/email', { email: 'p@example.com', otp: '123456' }),
        'critical.auth.required',
        { fields: { critical_auth_method: 'password' } },
      );
    });

    it('throttles wrong passwords: after 5, even the right one waits (429)', async () => {
      const { auth } = await newUser('password');
      for (let i = 0; i < 5; i++) {
        expectError(
          await put(auth, '/profile/email', { email: 'p@example.com', password: `wrong-${i}` }),
          'auth.password.invalid',
        );
      }
      const res = await put(auth, '/profile/email', { email: 'p@example.com', password: PASSWORD });
      expect(res.status).toBe(429);
      expect(res.json.error_code).toBe('request.rate.exceeded');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(800);
    });

    it('never logs a password', () => {
      expect(app.running.logs.text()).not.toContain(PASSWORD);
    });
  });
});
