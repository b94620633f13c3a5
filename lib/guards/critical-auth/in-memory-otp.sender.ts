import type { OtpMessage, OtpSender } from './critical-auth.interfaces.js';

/**
 * An `OtpSender` for tests and local development: it keeps the messages instead of sending them, so a
 * test (or a developer's tool) can read the code a real user would get by SMS. Never use it in
 * production: nothing is delivered.
 */
export class InMemoryOtpSender implements OtpSender {
  /** Every message "sent", oldest first. */
  readonly sent: OtpMessage[] = [];

  async send(message: OtpMessage): Promise<void> {
    this.sent.push(message);
  }

  /** The last code sent to a principal. */
  lastCodeFor(principalId: string): string | undefined {
    return this.sent.findLast(message => message.principal.id === principalId)?.code;
  }
}
