import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type {
  ApiKeyValidator,
  ClientApplication,
  CriticalAuthPolicy,
  PasswordVerifier,
  Principal,
} from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { PasswordHasher } from './password-hasher.js';
import type { SessionPrincipal } from './sessions.service.js';
import { assertSession } from './signed-in.decorator.js';

/** A client application as the handlers see it (`@ClientApp()`). */
export interface DemoClientApplication extends ClientApplication {
  name: string;
  searchTypes: string[];
  recoveryMethods: string[];
}

/** `apiKey.validator`: looks the key up by its SHA-256 in `client_applications`; revoked keys are unknown. */
@Injectable()
export class DatabaseApiKeyValidator implements ApiKeyValidator {
  constructor(private readonly database: DatabaseService) {}

  validate(key: string): DemoClientApplication | null {
    const hash = createHash('sha256').update(key).digest('hex');
    const row = this.database.db
      .prepare(
        'SELECT id, name, search_types, recovery_methods FROM client_applications WHERE api_key_sha256 = ? AND revoked_at IS NULL',
      )
      .get(hash) as { id: string; name: string; search_types: string; recovery_methods: string } | undefined;
    return row === undefined
      ? null
      : {
          id: row.id,
          name: row.name,
          searchTypes: JSON.parse(row.search_types) as string[],
          recoveryMethods: JSON.parse(row.recovery_methods) as string[],
        };
  }
}

/** `criticalAuth.policy` and `criticalAuth.passwordVerifier`: per user, from `users.critical_auth_method`. */
@Injectable()
export class UserCriticalAuth implements CriticalAuthPolicy, PasswordVerifier {
  constructor(
    private readonly database: DatabaseService,
    private readonly hasher: PasswordHasher,
  ) {}

  methodFor(principal: Principal): 'password' | 'otp' {
    // A session still waiting for its second factor must not get as far as an SMS.
    assertSession(principal as SessionPrincipal, 'active');
    const row = this.database.db
      .prepare('SELECT critical_auth_method, phone FROM users WHERE id = ?')
      .get(Number(principal.id)) as {
      critical_auth_method: 'password' | 'otp';
      phone: string | null;
    };
    return row.critical_auth_method === 'otp' && row.phone !== null ? 'otp' : 'password';
  }

  async verify(principal: Principal, password: string): Promise<boolean> {
    const row = this.database.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(Number(principal.id)) as
      { password_hash: string } | undefined;
    return this.hasher.verify(password, row?.password_hash ?? null);
  }
}

/** `signature.keys`: the partners' signing keys, read at start-up. */
export function signingKeys(database: DatabaseService): Record<string, { secrets: string[]; principal: Principal }> {
  const rows = database.db.prepare('SELECT key_id, client_id, secret FROM signing_keys').all() as {
    key_id: string;
    client_id: string;
    secret: string;
  }[];
  return Object.fromEntries(
    rows.map(row => [row.key_id, { secrets: [row.secret], principal: { id: row.client_id, status: 'active' } }]),
  );
}
