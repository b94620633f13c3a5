import { Body, Controller, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  ApiErrorResponses,
  AttemptLimiter,
  ClientApp,
  ControlAnswerInvalidException,
  LoginIdNotFoundException,
  RecoveryEmailNotSetException,
  RecoveryMethodRestrictedException,
  RecoveryPhoneNotSetException,
  RecoveryQuestionNotSetException,
  RequireApiKey,
} from 'nestjs-api-errors';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { DatabaseService } from '../database/database.service.js';
import { attemptLimits, TOO_MANY } from '../security/attempt-limits.js';
import { PasswordHasher } from '../security/password-hasher.js';
import type { DemoClientApplication } from '../security/users.collaborators.js';

const METHODS = ['question', 'phone', 'email'] as const;
type RecoveryMethod = (typeof METHODS)[number];

export class RecoveryDto {
  @IsString() @IsNotEmpty() @MaxLength(100) login_id!: string;
  @IsIn(METHODS) method!: RecoveryMethod;
  /** `question` only: the answer; without it, the answer tells the question. */
  @IsOptional() @IsString() @MaxLength(200) control_answer?: string;
  /** `question` only: the password to set once the answer is right. */
  @IsOptional() @IsString() @MinLength(12) @MaxLength(200) new_password?: string;
}

interface RecoveryUser {
  id: number;
  email: string | null;
  phone: string | null;
  control_question: string | null;
  control_answer_hash: string | null;
  recovery_disabled: string;
}

const mask = (value: string): string =>
  `${value.slice(0, 3)}${'•'.repeat(Math.max(0, value.length - 5))}${value.slice(-2)}`;

@Controller('recovery')
export class RecoveryController {
  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly database: DatabaseService,
    private readonly limiter: AttemptLimiter,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Access recovery. `question`: first call without `control_answer` to get the question, then with the
   * answer and a `new_password`. `phone` / `email`: a recovery link is sent to the profile's primary phone
   * or email (simulated). Control answers are limited per account and per client address (429).
   */
  @Post()
  @HttpCode(200)
  @RequireApiKey()
  @ApiErrorResponses(
    'auth.loginid.notfound',
    'recovery.question.notset',
    'recovery.phone.notset',
    'recovery.email.notset',
    'recovery.method.restricted',
    'auth.controlanswer.invalid',
    'request.rate.exceeded',
    'request.validation.failed',
  )
  async recover(
    @ClientApp() client: DemoClientApplication,
    @Body() body: RecoveryDto,
    @Ip() ip: string,
  ): Promise<object> {
    const user = this.database.db
      .prepare(
        'SELECT id, email, phone, control_question, control_answer_hash, recovery_disabled FROM users WHERE login_id = ?',
      )
      .get(body.login_id) as RecoveryUser | undefined;
    if (user === undefined) {
      throw new LoginIdNotFoundException();
    }
    if (
      !client.recoveryMethods.includes(body.method) ||
      (JSON.parse(user.recovery_disabled) as string[]).includes(body.method)
    ) {
      throw new RecoveryMethodRestrictedException();
    }
    switch (body.method) {
      case 'phone':
        if (user.phone === null) {
          throw new RecoveryPhoneNotSetException();
        }
        return { method: 'phone', sent_to: mask(user.phone) };
      case 'email':
        if (user.email === null) {
          throw new RecoveryEmailNotSetException();
        }
        return { method: 'email', sent_to: mask(user.email) };
      case 'question':
        return this.byQuestion(user, body, ip);
    }
  }

  private async byQuestion(user: RecoveryUser, body: RecoveryDto, ip: string): Promise<object> {
    if (user.control_question === null || user.control_answer_hash === null) {
      throw new RecoveryQuestionNotSetException();
    }
    if (body.control_answer === undefined) {
      return { method: 'question', control_question: user.control_question };
    }
    // The attempt is counted (per account and per client address) before the answer is checked, so
    // that parallel guesses cannot get past the limit; a right answer clears the account's count.
    const limits = attemptLimits(this.config, 'controlAnswer', user.id, ip);
    await this.limiter.reserve(limits, [TOO_MANY.controlAnswer]);
    if (!(await this.hasher.verify(body.control_answer.trim().toLowerCase(), user.control_answer_hash))) {
      throw new ControlAnswerInvalidException();
    }
    await this.limiter.succeeded(limits);
    if (body.new_password === undefined) {
      return { method: 'question', answer_accepted: true, password_changed: false };
    }
    this.database.db
      .prepare('UPDATE users SET password_hash = ? WHERE id = ?')
      .run(await this.hasher.hash(body.new_password), user.id);
    this.database.db.prepare("UPDATE sessions SET state = 'ended' WHERE user_id = ? AND state <> 'ended'").run(user.id);
    return { method: 'question', answer_accepted: true, password_changed: true };
  }
}
