import { API_ERROR_CATALOGUE, MemoryStore, type ApiErrorCode } from 'nestjs-api-errors';
import { PASSWORD, startCriticalApp, tokenFor, type CriticalApp } from '../fixtures/critical-auth.fixture.js';
import { ADAPTERS } from '../support/fixture-app.js';
import { expectedErrorText, send, type RawResponse } from '../support/http-client.js';

const RESEND_WAIT = ['A one-time password was sent moments ago; repeat the request with it, or wait before asking for another.'];

function expectError(res: RawResponse, code: ApiErrorCode, fields: Record<string, unknown> = {}, messages?: string[]): void {
  expect({ status: res.status, text: res.text }).toEqual({
    status: API_ERROR_CATALOGUE[code].status,
    text: expectedErrorText(res, code, messages ?? [API_ERROR_CATALOGUE[code].message], fields),
  });
}

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
      expectError(first, 'critical.auth.required', { critical_auth_method: 'otp' });
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
      const wrong = code === '000000' ? '111111' : '000000';
      expectError(await put(auth, '/profile/email', { email: 'a@example.com', otp: wrong }), 'auth.otp.invalid');
      expectError(await put(auth, '/profile/email', { email: 'a@example.com', otp: 'abc' }), 'auth.otp.invalid');
      expect((await put(auth, '/profile/email', { email: 'a@example.com', otp: code })).status).toBe(200);
    });

    it('burns the code after 5 wrong tries', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'b@example.com' });
      const code = app.sender.lastCodeFor(id) as string;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) {
        expectError(await put(auth, '/profile/email', { email: 'b@example.com', otp: wrong }), 'auth.otp.invalid');
      }
      expectError(await put(auth, '/profile/email', { email: 'b@example.com', otp: code }), 'auth.otp.invalid');
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
      expectError(again, 'request.rate.exceeded', { retry_after: 30 }, RESEND_WAIT);
      expect(again.headers['retry-after']).toBe('30');
      expect(app.sender.sent.filter(message => message.principal.id === id)).toHaveLength(1);

      clock += 31_000;
      expectError(await put(auth, '/profile/email', { email: 'd@example.com' }), 'critical.auth.required', { critical_auth_method: 'otp' });
      const fresh = app.sender.lastCodeFor(id) as string;
      if (old !== fresh) {
        expectError(await put(auth, '/profile/email', { email: 'd@example.com', otp: old }), 'auth.otp.invalid');
      }
      expect((await put(auth, '/profile/email', { email: 'd@example.com', otp: fresh })).status).toBe(200);
    });

    it('accepts only the policy’s method: a password is not enough', async () => {
      const { auth } = await newUser('otp');
      expectError(await put(auth, '/profile/email', { email: 'e@example.com', password: PASSWORD }), 'critical.auth.required', {
        critical_auth_method: 'otp',
      });
    });

    it('lets exactly one of 20 simultaneous requests with the right code through', async () => {
      const { id, auth } = await newUser('otp');
      await put(auth, '/profile/email', { email: 'race@example.com' });
      const code = app.sender.lastCodeFor(id) as string;
      const answers = await Promise.all(Array.from({ length: 20 }, () => put(auth, '/profile/email', { email: 'race@example.com', otp: code })));
      expect(answers.filter(res => res.status === 200)).toHaveLength(1);
      expect(answers.filter(res => res.status === 401 && res.json.error_code === 'auth.otp.invalid')).toHaveLength(19);
      expect(app.changes.done.filter(change => change.startsWith(`${id}:`))).toHaveLength(1);
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
      expectError(await put(auth, '/profile/email', { email: 'p@example.com' }), 'critical.auth.required', { critical_auth_method: 'password' });
      const res = await put(auth, '/profile/email', { email: 'p@example.com', password: PASSWORD });
      expect(res.text).toBe('{"status":"success","email":"p@example.com"}');
    });

    it('answers auth.password.invalid for a wrong one', async () => {
      const { auth } = await newUser('password');
      expectError(await put(auth, '/profile/email', { email: 'p@example.com', password: 'wrong' }), 'auth.password.invalid');
      expectError(await put(auth, '/profile/email', { email: 'p@example.com', password: 12345 }), 'auth.password.invalid');
    });

    it('accepts only the policy’s method: an otp is not enough', async () => {
      const { auth } = await newUser('password');
      expectError(await put(auth, '/profile/email', { email: 'p@example.com', otp: '123456' }), 'critical.auth.required', {
        critical_auth_method: 'password',
      });
    });

    it('throttles wrong passwords: after 5, even the right one waits (429)', async () => {
      const { auth } = await newUser('password');
      for (let i = 0; i < 5; i++) {
        expectError(await put(auth, '/profile/email', { email: 'p@example.com', password: `wrong-${i}` }), 'auth.password.invalid');
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
