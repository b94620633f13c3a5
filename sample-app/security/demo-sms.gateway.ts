import { Inject, Injectable } from '@nestjs/common';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OtpMessage, OtpSender } from 'nestjs-api-errors';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { DatabaseService } from '../database/database.service.js';

/** One SMS as the phone receives it. */
export interface DemoSms {
  to: string;
  text: string;
  code: string;
}

/**
 * Stands in for an SMS gateway: a message "delivered" to the user's phone is appended to
 * `<DATA_DIR>/sms-outbox.txt` (the demo's phone screen: `tail -f data/sms-outbox.txt`) and kept in memory
 * for tests. The code never goes to the application log. Replace it with a class that calls your
 * gateway (see docs/guards/critical-changes.md).
 */
@Injectable()
export class DemoSmsGateway implements OtpSender {
  readonly #sent: DemoSms[] = [];

  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly database: DatabaseService,
  ) {}

  async send({ principal, code, expiresInSeconds }: OtpMessage): Promise<void> {
    const row = this.database.db.prepare('SELECT phone FROM users WHERE id = ?').get(Number(principal.id)) as
      { phone: string | null } | undefined;
    if (!row?.phone) {
      throw new Error(`user ${principal.id} has no phone to send a one-time password to`);
    }
    const sms = {
      to: row.phone,
      code,
      text: `Your sample-app code is ${code}. It expires in ${Math.round(expiresInSeconds / 60)} minutes.`,
    };
    this.#sent.push(sms);
    this.#sent.splice(0, Math.max(0, this.#sent.length - 100));
    if (this.config.dataDir !== null && this.config.database !== ':memory:') {
      appendFileSync(
        join(this.config.dataDir, 'sms-outbox.txt'),
        `${new Date(this.config.now()).toISOString()} to ${sms.to}: ${sms.text}\n`,
      );
    }
  }

  /** The last SMS sent to a phone number (tests read the OTP here). */
  lastTo(phone: string): DemoSms | undefined {
    return this.#sent.findLast(sms => sms.to === phone);
  }
}
