import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { SessionInvalidException, type Principal } from 'nestjs-api-errors';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { DatabaseService } from '../database/database.service.js';
import { MemorableWords } from './memorable-words.js';

export type SessionState = 'second_factor' | 'active';

/** Claims of the sample's session tokens. */
export const TOKEN_ISSUER = 'nestjs-api-errors-sample';
export const TOKEN_AUDIENCE = 'sample-api';

/** Who a session token stands for, as the guards hand it to the handlers. */
export interface SessionPrincipal extends Principal {
  userId: number;
  loginId: string;
  sessionId: string;
  sessionState: SessionState;
  clientId: string;
}

export interface IssuedSession {
  token: string;
  expires_in: number;
  session_state: SessionState;
  /** Letters of the memorable word to give, when the second factor is due. */
  memorable_positions?: number[];
}

/**
 * Sessions live in the database; the token the client holds is a short-lived JWT (HS256, signed with a
 * key kept in the database) that names its session. The package's `JwtTokenVerifier` checks the token
 * (`auth.token.expired` / `auth.token.invalid`), then `principalFor` checks the session
 * (`auth.session.invalid` once logged out).
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly database: DatabaseService,
    private readonly memorableWords: MemorableWords,
  ) {}

  /** The key session tokens are signed with. */
  get signingKey(): string {
    return this.database.secret('session-token-key');
  }

  async start(userId: number, clientId: string, secondFactor: boolean): Promise<IssuedSession> {
    const id = randomUUID();
    const state: SessionState = secondFactor ? 'second_factor' : 'active';
    const positions = secondFactor ? this.memorablePositions(userId) : null;
    this.database.db
      .prepare('INSERT INTO sessions (id, user_id, client_id, state, memorable_positions) VALUES (?, ?, ?, ?, ?)')
      .run(id, userId, clientId, state, positions === null ? null : JSON.stringify(positions));
    const { SignJWT } = await import('jose');
    const now = Math.floor(this.config.now() / 1000);
    const token = await new SignJWT({ sid: id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.sessionTtlSeconds)
      .sign(new TextEncoder().encode(this.signingKey));
    return {
      token,
      expires_in: this.config.sessionTtlSeconds,
      session_state: state,
      ...(positions === null ? {} : { memorable_positions: positions }),
    };
  }

  /** The principal of a verified token, from its session: gone or ended → `auth.session.invalid`. */
  principalFor(claims: JWTPayload): SessionPrincipal {
    const row = this.database.db
      .prepare(
        `SELECT s.state, s.client_id, u.id AS user_id, u.login_id, u.status
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
      )
      .get(String(claims.sid)) as
      { state: string; client_id: string; user_id: number; login_id: string; status: Principal['status'] } | undefined;
    if (row === undefined || row.state === 'ended' || String(row.user_id) !== claims.sub) {
      throw new SessionInvalidException(['The session has ended: sign in again.']);
    }
    return {
      id: String(row.user_id),
      status: row.status,
      userId: row.user_id,
      loginId: row.login_id,
      sessionId: String(claims.sid),
      sessionState: row.state as SessionState,
      clientId: row.client_id,
    };
  }

  /** Passes the second factor: the session becomes active. */
  activate(sessionId: string): void {
    this.database.db
      .prepare("UPDATE sessions SET state = 'active', memorable_positions = NULL WHERE id = ?")
      .run(sessionId);
  }

  end(sessionId: string): void {
    this.database.db
      .prepare("UPDATE sessions SET state = 'ended', ended_at = ? WHERE id = ?")
      .run(new Date(this.config.now()).toISOString(), sessionId);
  }

  memorablePositionsOf(sessionId: string): number[] {
    const row = this.database.db.prepare('SELECT memorable_positions FROM sessions WHERE id = ?').get(sessionId) as
      { memorable_positions: string | null } | undefined;
    return row?.memorable_positions ? (JSON.parse(row.memorable_positions) as number[]) : [];
  }

  /** The letters of the user's memorable word, decrypted; `null` when there is none. */
  memorableWordOf(userId: number): string[] | null {
    const row = this.database.db.prepare('SELECT memorable_word_sealed FROM users WHERE id = ?').get(userId) as
      { memorable_word_sealed: string | null } | undefined;
    return row?.memorable_word_sealed ? this.memorableWords.open(userId, row.memorable_word_sealed) : null;
  }

  /** After a wrong answer: other positions for this session, which the next answer must give. */
  askNewMemorablePositions(sessionId: string, length: number, previous: readonly number[]): number[] {
    const positions = this.memorableWords.randomPositions(length, previous);
    this.database.db
      .prepare("UPDATE sessions SET memorable_positions = ? WHERE id = ? AND state = 'second_factor'")
      .run(JSON.stringify(positions), sessionId);
    return positions;
  }

  /** Three distinct letter positions (1-based) of the user's memorable word, in order. */
  private memorablePositions(userId: number): number[] | null {
    const word = this.memorableWordOf(userId);
    return word === null ? null : this.memorableWords.randomPositions(word.length);
  }
}
