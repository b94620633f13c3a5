import { resolveSiteverifyCaptchaOptions, type ResolvedSiteverifyCaptchaOptions } from '../../options/guard-options.js';
import { ServerUnavailableException } from '../../exceptions/extension.exceptions.js';
import type { CaptchaVerifier } from './captcha-verifier.interface.js';

/** Captcha providers with a `siteverify` endpoint. */
export type CaptchaProvider = 'turnstile' | 'recaptcha' | 'hcaptcha';

/** The providers' own verification endpoints. */
export const SITEVERIFY_URLS: Readonly<Record<CaptchaProvider, string>> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
};

/** Options of the default captcha verifier (the module's `captcha` option). */
export interface SiteverifyCaptchaOptions {
  /** Whose `siteverify` endpoint to ask. */
  provider: CaptchaProvider;
  /** The secret key the provider gave you. */
  secret: string;
  /** Verification endpoint, to use a proxy or a local stub. @default the provider's own */
  verifyUrl?: string;
  /** Time allowed to the provider, in milliseconds; past it the answer is 503. @default 5000 */
  timeoutMs?: number;
  /** reCAPTCHA v3: the lowest score accepted (0–1). @default none: the score is not checked */
  minScore?: number;
  /** The expected `hostname` of the solved challenge, when the provider reports one. @default none: not checked */
  hostname?: string;
}

/** Longest captcha response sent to a provider (Turnstile documents 2048). */
const MAX_RESPONSE_LENGTH = 4096;

/**
 * Asks the provider's siteverify endpoint (form POST of `secret`, `response`, `remoteip`). A refusal is
 * `false`; a provider that cannot be reached, is slower than the timeout, or answers anything but a
 * JSON object with a boolean `success` → `ServerUnavailableException` (the guard fails closed).
 */
export class SiteverifyCaptchaVerifier implements CaptchaVerifier {
  readonly #url: string;
  private readonly options: ResolvedSiteverifyCaptchaOptions;

  constructor(options: SiteverifyCaptchaOptions) {
    this.options = resolveSiteverifyCaptchaOptions(options);
    this.#url = options.verifyUrl ?? SITEVERIFY_URLS[options.provider];
  }

  async verify(response: string, remoteIp?: string): Promise<boolean> {
    if (response.length > MAX_RESPONSE_LENGTH) {
      return false;
    }
    const form = new URLSearchParams({ secret: this.options.secret, response });
    if (remoteIp !== undefined && remoteIp !== '') {
      form.set('remoteip', remoteIp);
    }
    let result: unknown;
    try {
      const answer = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!answer.ok) {
        throw new Error(`captcha provider answered HTTP ${answer.status}`);
      }
      result = await answer.json();
    } catch (error) {
      throw new ServerUnavailableException(undefined, {
        cause: new Error(`captcha verification failed: ${describe(error)}`),
      });
    }
    if (
      result === null ||
      typeof result !== 'object' ||
      typeof (result as { success?: unknown }).success !== 'boolean'
    ) {
      throw new ServerUnavailableException(undefined, {
        cause: new Error('captcha provider answered without a boolean success'),
      });
    }
    const { success, score, hostname } = result as { success: boolean; score?: unknown; hostname?: unknown };
    if (!success) {
      return false;
    }
    if (this.options.minScore !== undefined && (typeof score !== 'number' || score < this.options.minScore)) {
      return false;
    }
    return this.options.hostname === undefined || hostname === this.options.hostname;
  }
}

/** The error's name and message only: the request (with the secret) is never described. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
