import { ApiErrorsConfigurationError, ServerUnavailableException, SiteverifyCaptchaVerifier } from 'nestjs-api-errors';
import { json, startStub, type StubServer } from '../support/stub-server.js';

describe('SiteverifyCaptchaVerifier against a local stub', () => {
  let stub: StubServer;
  beforeAll(async () => {
    stub = await startStub((request, body, response) => {
      const answer = new URLSearchParams(body).get('response');
      const provider = request.url?.slice(1);
      if (provider === 'recaptcha') {
        return json(response, 200, {
          success: answer !== 'bad',
          score: answer === 'bot' ? 0.1 : 0.9,
          hostname: 'app.example.com',
        });
      }
      return json(response, 200, {
        success: answer === 'good',
        hostname: answer === 'good' ? 'app.example.com' : undefined,
      });
    });
  });
  afterAll(() => stub.close());

  it.each(['turnstile', 'recaptcha', 'hcaptcha'] as const)(
    'asks %s with a form of secret, response and remote IP',
    async provider => {
      const verifier = new SiteverifyCaptchaVerifier({
        provider,
        secret: 's3cret',
        verifyUrl: `${stub.url}/${provider}`,
      });
      await expect(verifier.verify('good', '203.0.113.7')).resolves.toBe(true);
      const form = new URLSearchParams(stub.received.at(-1)?.body);
      expect(Object.fromEntries(form)).toEqual({ secret: 's3cret', response: 'good', remoteip: '203.0.113.7' });
    },
  );

  it('refuses a response the provider refuses', async () => {
    const verifier = new SiteverifyCaptchaVerifier({
      provider: 'hcaptcha',
      secret: 's3cret',
      verifyUrl: `${stub.url}/hcaptcha`,
    });
    await expect(verifier.verify('bad')).resolves.toBe(false);
  });

  it('applies a reCAPTCHA v3 minimum score', async () => {
    const verifier = new SiteverifyCaptchaVerifier({
      provider: 'recaptcha',
      secret: 's3cret',
      verifyUrl: `${stub.url}/recaptcha`,
      minScore: 0.5,
    });
    await expect(verifier.verify('human')).resolves.toBe(true);
    await expect(verifier.verify('bot')).resolves.toBe(false);
  });

  it('checks the hostname when told to', async () => {
    const verifier = new SiteverifyCaptchaVerifier({
      provider: 'recaptcha',
      secret: 's3cret',
      verifyUrl: `${stub.url}/recaptcha`,
      hostname: 'other.example.com',
    });
    await expect(verifier.verify('human')).resolves.toBe(false);
  });

  it('fails closed when nothing answers', async () => {
    const verifier = new SiteverifyCaptchaVerifier({
      provider: 'turnstile',
      secret: 's3cret',
      verifyUrl: 'http://127.0.0.1:9/siteverify',
      timeoutMs: 300,
    });
    await expect(verifier.verify('good')).rejects.toBeInstanceOf(ServerUnavailableException);
  });

  it('needs a provider and a secret', () => {
    expect(() => new SiteverifyCaptchaVerifier({ provider: 'turnstile', secret: '' })).toThrow(
      ApiErrorsConfigurationError,
    );
    expect(() => new SiteverifyCaptchaVerifier({ provider: 'nope' as 'turnstile', secret: 'x' })).toThrow(
      ApiErrorsConfigurationError,
    );
  });
});
