/**
 * Checks a `captcha_response` with the captcha provider. The default is `SiteverifyCaptchaVerifier`
 * (Cloudflare Turnstile, Google reCAPTCHA, hCaptcha); plug your own through `captcha.verifier`.
 */
export interface CaptchaVerifier {
  /**
   * `true` when the provider accepts the response. Throw `ServerUnavailableException` (or anything
   * else) when the provider cannot be asked: the guard then fails closed with 503.
   */
  verify(response: string, remoteIp?: string): Promise<boolean>;
}

/** Injection token of the captcha verifier. */
export const CAPTCHA_VERIFIER = Symbol.for('nestjs-api-errors.captcha-verifier');
