import type Database from 'better-sqlite3';
import { ProfileIdentifierInvalidException, ProfileIdentifierUsedException } from 'nestjs-api-errors';

/** A primary identifier of a profile: its email or its phone. */
export type IdentifierKind = 'email' | 'phone';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@.]{2,}$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;

/**
 * The identifier in the form it is stored in (emails lower-cased, phones in E.164 without spaces), or
 * `profile.identifier.invalid`. The DTO only checks that it is a string; what makes it a usable
 * identifier is decided here, so that the client gets the contract's code for it.
 */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
  const normalised = kind === 'email' ? value.trim().toLowerCase() : value.replace(/[\s().-]/g, '');
  const valid = kind === 'email' ? normalised.length <= 254 && EMAIL.test(normalised) : E164.test(normalised);
  if (!valid) {
    throw new ProfileIdentifierInvalidException(
      kind === 'email'
        ? { email: ['Give an email address such as name@example.com.'] }
        : { phone: ['Give the phone number in international form, such as +447700900123.'] },
    );
  }
  return normalised;
}

/** `profile.identifier.used` when another profile has this identifier already. */
export function assertIdentifierFree(
  db: Database.Database,
  kind: IdentifierKind,
  value: string,
  exceptUserId?: number,
): void {
  const owner = db.prepare(`SELECT id FROM users WHERE ${kind === 'email' ? 'email' : 'phone'} = ?`).get(value) as
    { id: number } | undefined;
  if (owner !== undefined && owner.id !== exceptUserId) {
    throw new ProfileIdentifierUsedException({
      [kind]: [`This ${kind === 'email' ? 'email address' : 'phone number'} belongs to another profile.`],
    });
  }
}

/** A UNIQUE violation on users.email / users.phone (two requests raced) becomes `profile.identifier.used`. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
