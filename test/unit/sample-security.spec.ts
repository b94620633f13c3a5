// The sample app's secret handling, without HTTP: scrypt work factors and rehashing, the memorable-word
// cipher and its key, how client addresses are keyed for attempt limits, and migration 2.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ATTEMPT_LIMITS, DEFAULT_SCRYPT, sampleConfigFromEnv } from '../../sample-app/config.js';
import { DatabaseService } from '../../sample-app/database/database.service.js';
import { MIGRATIONS } from '../../sample-app/database/migrations.js';
import { attemptLimits, clientAddressKey } from '../../sample-app/security/attempt-limits.js';
import { loadMemorableWordKey, MemorableWords } from '../../sample-app/security/memorable-words.js';
import { PasswordHasher } from '../../sample-app/security/password-hasher.js';

describe('PasswordHasher', () => {
  it('defaults to OWASP’s scrypt minimum, N = 2^17, r = 8, p = 1 (128 MiB: maxmem raised), stored in the hash', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    expect(sampleConfigFromEnv({}).scrypt).toEqual(DEFAULT_SCRYPT);
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it('verifies with the factors stored beside the hash, and says when a hash needs replacing', async () => {
    const weak = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const current = new PasswordHasher({ N: 2 ** 12, r: 8, p: 2 });
    const old = await weak.hash('pässword');
    expect(await current.verify('pässword', old)).toBe(true);
    expect(await current.verify('password', old)).toBe(false);
    expect(current.needsRehash(old)).toBe(true);
    expect(current.needsRehash(await current.hash('pässword'))).toBe(false);
  });

  it('refuses malformed hashes and implausible stored factors without running them', async () => {
    const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    const good = await hasher.hash('secret');
    const [, , , , salt, key] = good.split('$');
    for (const stored of [
      '',
      'plain',
      `bcrypt$1024$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$${2 ** 30}$8$1$${salt}$${key}`,
      `scrypt$1024$8$1$${salt}$`,
    ]) {
      expect(await hasher.verify('secret', stored)).toBe(false);
      expect(hasher.needsRehash(stored)).toBe(true);
    }
    expect(() => new PasswordHasher({ N: 3, r: 8, p: 1 })).toThrow('scrypt parameters out of range');
  });

  it('checks a missing hash against a decoy: false, but as slow', async () => {
    const hasher = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
    expect(await hasher.verify('anything', null)).toBe(false);
  });
});

describe('MemorableWords', () => {
  const words = new MemorableWords(randomBytes(32));

  it('seals a word so that the stored value tells neither the word nor its length, and opens it for its user only', () => {
    const short = words.seal(1, 'Sun');
    const long = words.seal(1, 'lighthouse');
    expect(short.length).toBe(long.length);
    expect(words.seal(1, 'lighthouse')).not.toBe(long);
    expect(long).not.toContain('lighthouse');
    expect(words.open(1, long)).toEqual([...'lighthouse']);
    expect(words.open(1, short)).toEqual([...'sun']);
    expect(() => words.open(2, long)).toThrow();
    expect(() => new MemorableWords(randomBytes(32)).open(1, long)).toThrow();
    const [version, iv, ciphertext, tag] = long.split('.');
    const flipped = Buffer.from(ciphertext as string, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => words.open(1, [version, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
  });

  it('matches the asked letters only, in any case', () => {
    const letters = [...'lighthouse'];
    expect(words.matches(letters, [1, 2, 8], { '1': 'L', '2': 'i', '8': 'u' })).toBe(true);
    expect(words.matches(letters, [1, 2, 8], { '1': 'l', '2': 'i', '8': 'x' })).toBe(false);
    expect(words.matches(letters, [1, 2, 8], { '1': 'l', '2': 'i' })).toBe(false);
    expect(words.matches(letters, [1, 2, 8], { '1': 'l', '2': 'i', '8': 'u', '9': 's' })).toBe(false);
    expect(words.matches(letters, [1, 2, 8], { '1': 'l', '2': 'i', '8': 'us' })).toBe(false);
    expect(words.matches(letters, [], {})).toBe(false);
  });

  it('asks for other positions than the ones before', () => {
    for (let i = 0; i < 200; i++) {
      const previous = words.randomPositions(10);
      const next = words.randomPositions(10, previous);
      expect(next).toHaveLength(3);
      expect(new Set(next).size).toBe(3);
      expect(next.every(position => position >= 1 && position <= 10)).toBe(true);
      expect(next).not.toEqual(previous);
    }
  });
});

describe('attempt limits', () => {
  it('keys client addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(clientAddressKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });

  it('counts per account and per address (an unknown account per address only), by default 5 per account in 15 minutes', () => {
    const config = sampleConfigFromEnv({});
    expect(DEFAULT_ATTEMPT_LIMITS.signIn.account).toEqual({ maxAttempts: 5, windowSeconds: 900 });
    expect(attemptLimits(config, 'signIn', 42, '203.0.113.7')).toEqual([
      { key: 'sample:sign-in:account:42', maxAttempts: 5, windowSeconds: 900 },
      { key: 'sample:sign-in:ip:203.0.113.7', maxAttempts: 100, windowSeconds: 900, clearOnSuccess: false },
    ]);
    expect(attemptLimits(config, 'signIn', null, '203.0.113.7').map(limit => limit.key)).toEqual([
      'sample:sign-in:ip:203.0.113.7',
    ]);
    expect(attemptLimits(config, 'secondFactor', 1, '::1').map(limit => limit.key)).toEqual([
      'sample:second-factor:account:1',
      'sample:second-factor:ip:0:0:0:0::/64',
    ]);
  });
});

describe('migration 2', () => {
  it('drops the per-letter hashes of a database made before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-migration-'));
    try {
      const file = join(dir, 'sample.sqlite');
      const old = new Database(file);
      old.exec(MIGRATIONS[0] as string);
      old.pragma('user_version = 1');
      old
        .prepare(
          "INSERT INTO users (login_id, password_hash, memorable_word_hash, second_factor) VALUES ('old', 'x', '[\"scrypt$1$2$3$4$5\"]', 1)",
        )
        .run();
      old.close();
      const config = { ...sampleConfigFromEnv({}), database: file, dataDir: dir };
      const database = new DatabaseService(
        config,
        new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
        new MemorableWords(randomBytes(32)),
      );
      await database.open();
      try {
        expect(database.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(database.db.prepare('SELECT * FROM users').all()).toEqual([
          expect.objectContaining({ login_id: 'old', memorable_word_sealed: null, second_factor: 1 }),
        ]);
        expect(JSON.stringify(database.db.prepare('SELECT * FROM users').all())).not.toContain('scrypt');
      } finally {
        database.onApplicationShutdown();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the memorable-word key in a file beside the database, not in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-key-'));
    try {
      const config = { ...sampleConfigFromEnv({}), dataDir: dir, database: join(dir, 'sample.sqlite') };
      const key = loadMemorableWordKey(config);
      expect(key).toHaveLength(32);
      expect(statSync(join(dir, 'memorable-word.key')).mode & 0o777).toBe(0o600);
      expect(loadMemorableWordKey(config).equals(key)).toBe(true);
      const given = randomBytes(32);
      expect(loadMemorableWordKey({ ...config, memorableWordKey: given.toString('base64url') }).equals(given)).toBe(
        true,
      );
      expect(() => loadMemorableWordKey({ ...config, memorableWordKey: 'short' })).toThrow('32-byte key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
