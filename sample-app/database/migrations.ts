/**
 * The schema, one migration per entry; `PRAGMA user_version` records how many have run. Append, never
 * edit: a database created by an older version is migrated forward at start-up.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  -- Client applications and their API keys (SHA-256 of the key, never the key).
  CREATE TABLE client_applications (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    api_key_sha256   TEXT UNIQUE,              -- NULL: a client that signs its requests instead
    revoked_at       TEXT,
    search_types     TEXT NOT NULL,            -- JSON array of the object types it may search
    recovery_methods TEXT NOT NULL             -- JSON array of the recovery methods it offers
  );

  -- Keys that partners sign machine-to-machine requests with (HMAC needs the secret itself).
  CREATE TABLE signing_keys (
    key_id    TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES client_applications (id),
    secret    TEXT NOT NULL
  );

  CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login_id             TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'restricted', 'closed', 'denied')),
    email                TEXT UNIQUE,
    phone                TEXT UNIQUE,
    control_question     TEXT,
    control_answer_hash  TEXT,
    memorable_word_hash  TEXT,                 -- JSON array: one hash per letter position
    second_factor        INTEGER NOT NULL DEFAULT 0,
    critical_auth_method TEXT NOT NULL DEFAULT 'password' CHECK (critical_auth_method IN ('password', 'otp')),
    recovery_disabled    TEXT NOT NULL DEFAULT '[]', -- JSON array of methods the user turned off
    object_limit         INTEGER NOT NULL DEFAULT 3,
    member_number        TEXT UNIQUE,
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );

  CREATE TABLE backup_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TEXT
  );

  CREATE TABLE sessions (
    id                   TEXT PRIMARY KEY,
    user_id              INTEGER NOT NULL REFERENCES users (id),
    client_id            TEXT NOT NULL REFERENCES client_applications (id),
    state                TEXT NOT NULL CHECK (state IN ('second_factor', 'active', 'ended')),
    memorable_positions  TEXT,                 -- JSON array asked for at login
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at             TEXT
  );

  CREATE TABLE oauth_links (
    client_id TEXT NOT NULL REFERENCES client_applications (id),
    provider  TEXT NOT NULL,
    subject   TEXT NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (client_id, provider, subject)
  );

  CREATE TABLE objects (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  CREATE INDEX objects_owner ON objects (owner_id);

  -- The membership register that members link their profile to.
  CREATE TABLE members (
    member_number TEXT PRIMARY KEY,
    surname       TEXT NOT NULL,
    date_of_birth TEXT NOT NULL
  );

  -- What partners report through the signed machine-to-machine route.
  CREATE TABLE partner_reports (
    id          INTEGER PRIMARY KEY,
    key_id      TEXT NOT NULL,
    period      TEXT NOT NULL,
    total       INTEGER NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  `,
  // 2: memorable words encrypted (AES-256-GCM, key outside the database) instead of hashed letter by
  // letter, which a dump gave away in ~36 guesses a letter. The old hashes are dropped, not converted:
  // converting them would mean cracking them. A user who had one is left with backup codes for the
  // second factor; the demo seed of a new database seals alice's word.
  `
  ALTER TABLE users ADD COLUMN memorable_word_sealed TEXT; -- v1.<iv>.<ciphertext>.<tag>, see security/memorable-words.ts
  UPDATE users SET memorable_word_hash = NULL;
  ALTER TABLE users DROP COLUMN memorable_word_hash;
  `,
];
