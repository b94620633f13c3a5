import { timingSafeEqual } from 'node:crypto';
import { ServerUnavailableException, type CaptchaVerifier } from 'nestjs-api-errors';
import { DEMO } from '../database/demo-data.js';

/**
 * A captcha "provider" for the demo, with fixed test answers like the real providers' test keys:
 * `demo-captcha-pass` passes, `demo-captcha-down` acts as a provider outage (503), anything else fails.
 * In production, configure `captcha: { provider: 'turnstile', secret }` instead (see docs/guards/captcha-and-disclaimers.md).
 */
export class DemoCaptchaVerifier implements CaptchaVerifier {
  async verify(response: string): Promise<boolean> {
    if (response === DEMO.captcha.unavailable) {
      throw new ServerUnavailableException();
    }
    const expected = Buffer.from(DEMO.captcha.pass);
    const given = Buffer.from(response);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
