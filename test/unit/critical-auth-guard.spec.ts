import {
  ApiErrorsConfigurationError,
  type ApiException,
  CriticalAuthGuard,
  CriticalAuthRequiredException,
  InMemoryOtpSender,
  MemoryStore,
  OTP_FIELD,
  PASSWORD_FIELD,
  requestAccess,
  type ApiErrorsStore,
  type CriticalAuthPolicy,
  type CriticalAuthSettings,
  type PasswordVerifier,
  type Principal,
} from 'nestjs-api-errors';
import { resolveCriticalAuthSettings } from '../../lib/options/critical-auth.options.js';
import { fakeRequest, guardContext } from '../support/guard-context.js';

const alice: Principal = { id: 'alice' };
const RIGHT = 'correct horse battery staple';

interface Collaborators {
  store?: ApiErrorsStore;
  settings?: CriticalAuthSettings;
  policy?: CriticalAuthPolicy;
  passwords?: PasswordVerifier;
  sender?: InMemoryOtpSender;
}

function criticalAuthGuard(collaborators: Collaborators = {}): CriticalAuthGuard {
  const { store = new MemoryStore(), settings, policy, passwords, sender } = collaborators;
  const options = { criticalAuth: resolveCriticalAuthSettings(settings) };
  return new CriticalAuthGuard(store, options as never, policy, passwords, sender);
}

const passwords: PasswordVerifier = { verify: async (_principal, password) => password === RIGHT };

/** What the guard answers to a request of `body` by `principal` (`null`: none): `true`, or the error. */
async function attempt(guard: CriticalAuthGuard, body: object, principal: Principal | null = alice) {
  const request = fakeRequest({ url: '/profile/email', body });
  if (principal !== null) {
    requestAccess(request).principal = principal;
  }
  try {
    return { answer: await guard.canActivate(guardContext(request)), request };
  } catch (error) {
    return { error: error as ApiException, request };
  }
}

describe('CriticalAuthGuard', () => {
  it('needs the principal the authorization guard leaves', async () => {
    const { error } = await attempt(criticalAuthGuard({ passwords }), {}, null);
    expect(error).toBeInstanceOf(ApiErrorsConfigurationError);
  });

  describe('with a password', () => {
    it('asks for the password, then checks it and takes it out of the body', async () => {
      const guard = criticalAuthGuard({ passwords });
      const missing = await attempt(guard, { email: 'a@example.com' });
      expect(missing.error).toBeInstanceOf(CriticalAuthRequiredException);
      expect((missing.error as CriticalAuthRequiredException).method).toBe('password');
      expect((await attempt(guard, { [PASSWORD_FIELD]: 'wrong' })).error?.code).toBe('auth.password.invalid');
      const right = await attempt(guard, { email: 'a@example.com', [PASSWORD_FIELD]: RIGHT, [OTP_FIELD]: '1' });
      expect(right.answer).toBe(true);
      expect(right.request.body).toEqual({ email: 'a@example.com' });
    });

    it('answers 429 with retry_after past passwordMaxAttempts, even to the right password', async () => {
      const guard = criticalAuthGuard({ passwords, settings: { passwordMaxAttempts: 2, passwordWindowSeconds: 60 } });
      for (let i = 0; i < 2; i++) {
        expect((await attempt(guard, { [PASSWORD_FIELD]: 'wrong' })).error?.code).toBe('auth.password.invalid');
      }
      const { error } = await attempt(guard, { [PASSWORD_FIELD]: RIGHT });
      expect(error?.code).toBe('request.rate.exceeded');
      expect(error?.fields.retry_after).toBeGreaterThan(0);
    });

    it('answers 503 when the password cannot be checked', async () => {
      const failing: PasswordVerifier = { verify: () => Promise.reject(new Error('users database down')) };
      const { error } = await attempt(criticalAuthGuard({ passwords: failing }), { [PASSWORD_FIELD]: RIGHT });
      expect(error?.code).toBe('server.unavailable');
    });
  });

  describe('with a one-time password', () => {
    const otp = (): { sender: InMemoryOtpSender; guard: CriticalAuthGuard } => {
      const sender = new InMemoryOtpSender();
      return { sender, guard: criticalAuthGuard({ sender, policy: { methodFor: () => 'otp' } }) };
    };

    it('sends a code when none is given, then accepts it once, for the same operation only', async () => {
      const { sender, guard } = otp();
      const missing = await attempt(guard, { email: 'a@example.com' });
      expect((missing.error as CriticalAuthRequiredException).method).toBe('otp');
      const code = sender.lastCodeFor('alice') as string;
      expect(code).toMatch(/^[0-9]{6}$/);
      expect((await attempt(guard, { email: 'b@example.com', [OTP_FIELD]: code })).error?.code).toBe(
        'auth.otp.invalid',
      );
      const right = await attempt(guard, { email: 'a@example.com', [OTP_FIELD]: code });
      expect(right.answer).toBe(true);
      expect(right.request.body).toEqual({ email: 'a@example.com' });
      expect((await attempt(guard, { email: 'a@example.com', [OTP_FIELD]: code })).error?.code).toBe(
        'auth.otp.invalid',
      );
    });

    it('throttles re-sends with 429 and retry_after', async () => {
      const { sender, guard } = otp();
      await attempt(guard, {});
      const { error } = await attempt(guard, {});
      expect(error?.code).toBe('request.rate.exceeded');
      expect(error?.fields.retry_after).toBeGreaterThan(0);
      expect(sender.sent).toHaveLength(1);
    });

    it('is refused, naming the option, without a sender or with a shared store and no otpSecret', async () => {
      const { error } = await attempt(criticalAuthGuard({ policy: { methodFor: () => 'otp' } }), {});
      expect(error).toBeInstanceOf(ApiErrorsConfigurationError);
      expect(error?.message).toContain('criticalAuth.otpSender');
      const shared = { ...new MemoryStore() } as unknown as ApiErrorsStore;
      expect(() => criticalAuthGuard({ store: shared, sender: new InMemoryOtpSender() })).toThrow(
        /criticalAuth\.otpSecret is missing/,
      );
    });
  });

  it('refuses a policy answer that is neither method', async () => {
    const guard = criticalAuthGuard({ passwords, policy: { methodFor: () => 'sms' as never } });
    const { error } = await attempt(guard, { [PASSWORD_FIELD]: RIGHT });
    expect(error).toBeInstanceOf(ApiErrorsConfigurationError);
  });
});
