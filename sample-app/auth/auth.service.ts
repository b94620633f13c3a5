import { Inject, Injectable } from '@nestjs/common';
import {
  AttemptLimiter,
  BackupCodeInvalidException,
  LoginIdNotFoundException,
  MemorableLettersInvalidException,
  OAuthUserNotFoundException,
  PasswordInvalidException,
} from 'nestjs-api-errors';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { DatabaseService } from '../database/database.service.js';
import { OAuthClient } from '../oauth/oauth.client.js';
import { attemptLimits, TOO_MANY } from '../security/attempt-limits.js';
import { MemorableWords } from '../security/memorable-words.js';
import { PasswordHasher } from '../security/password-hasher.js';
import { SessionsService, type IssuedSession, type SessionPrincipal } from '../security/sessions.service.js';
import type { DemoClientApplication } from '../security/users.collaborators.js';

interface UserRow {
  id: number;
  password_hash: string;
  second_factor: number;
}

/**
 * Sign-in and the second factor. Every guess at a secret (password, backup code, memorable letters) is
 * first counted by the package's `AttemptLimiter`, per account and per client address, and only then
 * checked: of any number of parallel guesses, at most the limit reach the check, the others get 429
 * `request.rate.exceeded` with `retry_after`. A right answer clears the account's counter.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly database: DatabaseService,
    private readonly sessions: SessionsService,
    private readonly oauth: OAuthClient,
    private readonly limiter: AttemptLimiter,
    private readonly hasher: PasswordHasher,
    private readonly memorableWords: MemorableWords,
  ) {}

  async login(
    client: DemoClientApplication,
    loginId: string,
    password: string,
    ip: string | undefined,
  ): Promise<IssuedSession> {
    const user = this.database.db
      .prepare('SELECT id, password_hash, second_factor FROM users WHERE login_id = ?')
      .get(loginId) as UserRow | undefined;
    // An unknown login id is counted against the client address only (there is no account to lock).
    const limits = attemptLimits(this.config, 'signIn', user?.id ?? null, ip);
    await this.limiter.reserve(limits, [TOO_MANY.signIn]);
    // The password is checked (against a decoy when there is no such user) before answering either way,
    // so that the time taken does not tell which login ids exist beyond what the contract's 404 tells.
    const passwordMatches = await this.hasher.verify(password, user?.password_hash ?? null);
    if (user === undefined) {
      throw new LoginIdNotFoundException();
    }
    if (!passwordMatches) {
      throw new PasswordInvalidException();
    }
    await this.limiter.succeeded(limits);
    if (this.hasher.needsRehash(user.password_hash)) {
      // Rehash on login: a hash made with weaker work factors is replaced while the password is at hand.
      const rehashed = await this.hasher.hash(password);
      this.database.db
        .prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?')
        .run(rehashed, user.id, user.password_hash);
    }
    return this.sessions.start(user.id, client.id, user.second_factor === 1);
  }

  /** A backup code is good once: it is marked used in the same statement that finds it. */
  async useBackupCode(principal: SessionPrincipal, code: string, ip: string | undefined): Promise<void> {
    const limits = attemptLimits(this.config, 'secondFactor', principal.userId, ip);
    await this.limiter.reserve(limits, [TOO_MANY.secondFactor]);
    const candidates = this.database.db
      .prepare('SELECT id, code_hash FROM backup_codes WHERE user_id = ? AND used_at IS NULL')
      .all(principal.userId) as {
      id: number;
      code_hash: string;
    }[];
    for (const candidate of candidates) {
      if (await this.hasher.verify(code.trim(), candidate.code_hash)) {
        const used = this.database.db
          .prepare('UPDATE backup_codes SET used_at = ? WHERE id = ? AND used_at IS NULL')
          .run(new Date().toISOString(), candidate.id);
        if (used.changes === 1) {
          await this.limiter.succeeded(limits);
          this.sessions.activate(principal.sessionId);
          return;
        }
      }
    }
    throw new BackupCodeInvalidException();
  }

  /**
   * The letters at the positions the session was asked for. A wrong answer asks for other positions
   * (named in the message and in `memorable_positions`), so that guesses at one set do not add up.
   */
  async checkMemorableLetters(
    principal: SessionPrincipal,
    letters: Record<string, string>,
    ip: string | undefined,
  ): Promise<void> {
    const limits = attemptLimits(this.config, 'secondFactor', principal.userId, ip);
    await this.limiter.reserve(limits, [TOO_MANY.secondFactor]);
    const asked = this.sessions.memorablePositionsOf(principal.sessionId);
    const word = this.sessions.memorableWordOf(principal.userId);
    if (word !== null && this.memorableWords.matches(word, asked, letters)) {
      await this.limiter.succeeded(limits);
      this.sessions.activate(principal.sessionId);
      return;
    }
    const next = word === null ? [] : this.sessions.askNewMemorablePositions(principal.sessionId, word.length, asked);
    throw new MemorableLettersInvalidException(
      next.length === 0
        ? ['This account has no memorable word: use a backup code.']
        : [`Give the letters at positions ${next.join(', ')} of your memorable word.`],
      { fields: { memorable_positions: next } },
    );
  }

  logout(principal: SessionPrincipal): void {
    this.sessions.end(principal.sessionId);
  }

  async oauthSignIn(client: DemoClientApplication, code: string): Promise<IssuedSession> {
    const subject = await this.oauth.subjectFor(code);
    const link = this.database.db
      .prepare(
        'SELECT u.id, u.second_factor FROM oauth_links l JOIN users u ON u.id = l.user_id WHERE l.client_id = ? AND l.provider = ? AND l.subject = ?',
      )
      .get(client.id, this.oauth.provider, subject) as { id: number; second_factor: number } | undefined;
    if (link === undefined) {
      throw new OAuthUserNotFoundException();
    }
    return this.sessions.start(link.id, client.id, link.second_factor === 1);
  }
}
