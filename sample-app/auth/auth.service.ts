import { Injectable } from '@nestjs/common';
import { BackupCodeInvalidException, LoginIdNotFoundException, MemorableLettersInvalidException, OAuthUserNotFoundException, PasswordInvalidException } from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { OAuthClient } from '../oauth/oauth.client.js';
import { verifySecret } from '../security/password-hasher.js';
import { SessionsService, type IssuedSession, type SessionPrincipal } from '../security/sessions.service.js';
import type { DemoClientApplication } from '../security/users.collaborators.js';

interface UserRow {
  id: number;
  password_hash: string;
  second_factor: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly database: DatabaseService,
    private readonly sessions: SessionsService,
    private readonly oauth: OAuthClient,
  ) {}

  async login(client: DemoClientApplication, loginId: string, password: string): Promise<IssuedSession> {
    const user = this.database.db.prepare('SELECT id, password_hash, second_factor FROM users WHERE login_id = ?').get(loginId) as UserRow | undefined;
    // The password is checked (against a decoy when there is no such user) before answering either way,
    // so that the time taken does not tell which login ids exist beyond what the contract's 404 tells.
    const passwordMatches = await verifySecret(password, user?.password_hash ?? null);
    if (user === undefined) {
      throw new LoginIdNotFoundException();
    }
    if (!passwordMatches) {
      throw new PasswordInvalidException();
    }
    return this.sessions.start(user.id, client.id, user.second_factor === 1);
  }

  /** A backup code is good once: it is marked used in the same statement that finds it. */
  async useBackupCode(principal: SessionPrincipal, code: string): Promise<void> {
    const candidates = this.database.db.prepare('SELECT id, code_hash FROM backup_codes WHERE user_id = ? AND used_at IS NULL').all(principal.userId) as {
      id: number;
      code_hash: string;
    }[];
    for (const candidate of candidates) {
      if (await verifySecret(code.trim(), candidate.code_hash)) {
        const used = this.database.db.prepare('UPDATE backup_codes SET used_at = ? WHERE id = ? AND used_at IS NULL').run(new Date().toISOString(), candidate.id);
        if (used.changes === 1) {
          this.sessions.activate(principal.sessionId);
          return;
        }
      }
    }
    throw new BackupCodeInvalidException();
  }

  async checkMemorableLetters(principal: SessionPrincipal, letters: Record<string, string>): Promise<void> {
    const asked = this.sessions.memorablePositionsOf(principal.sessionId);
    const row = this.database.db.prepare('SELECT memorable_word_hash FROM users WHERE id = ?').get(principal.userId) as { memorable_word_hash: string | null };
    const hashes = row.memorable_word_hash === null ? [] : (JSON.parse(row.memorable_word_hash) as string[]);
    const given = Object.keys(letters).map(Number).sort((a, b) => a - b);
    let ok = asked.length > 0 && given.length === asked.length && given.every((position, index) => position === asked[index]);
    for (const position of asked) {
      const letter = letters[String(position)];
      const matches = typeof letter === 'string' && letter.length === 1 && (await verifySecret(`${position}:${letter.toLowerCase()}`, hashes[position - 1] ?? null));
      ok &&= matches;
    }
    if (!ok) {
      throw new MemorableLettersInvalidException([`Give the letters at positions ${asked.join(', ')} of your memorable word.`]);
    }
    this.sessions.activate(principal.sessionId);
  }

  logout(principal: SessionPrincipal): void {
    this.sessions.end(principal.sessionId);
  }

  async oauthSignIn(client: DemoClientApplication, code: string): Promise<IssuedSession> {
    const subject = await this.oauth.subjectFor(code);
    const link = this.database.db
      .prepare('SELECT u.id, u.second_factor FROM oauth_links l JOIN users u ON u.id = l.user_id WHERE l.client_id = ? AND l.provider = ? AND l.subject = ?')
      .get(client.id, this.oauth.provider, subject) as { id: number; second_factor: number } | undefined;
    if (link === undefined) {
      throw new OAuthUserNotFoundException();
    }
    return this.sessions.start(link.id, client.id, link.second_factor === 1);
  }
}
