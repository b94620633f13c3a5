import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { MemorableWords } from '../security/memorable-words.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { DEMO } from './demo-data.js';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Fills an empty database with the demo data of `DEMO`. */
export async function seedDemoData(
  db: Database.Database,
  hasher: PasswordHasher,
  memorableWords: MemorableWords,
): Promise<void> {
  const { alice, bob, carol, restricted, closed, denied } = DEMO.users;
  // Hashed side by side: at N = 2^17 each takes ~0.3 s on one thread of libuv's pool.
  const [aliceHash, aliceAnswer, bobHash, carolHash, restrictedHash, closedHash, deniedHash, ...aliceBackup] =
    await Promise.all(
      [
        alice.password,
        alice.controlAnswer,
        bob.password,
        carol.password,
        restricted.password,
        closed.password,
        denied.password,
        ...alice.backupCodes,
      ].map(secret => hasher.hash(secret)),
    );
  const hashes = {
    alice: aliceHash,
    aliceAnswer,
    aliceBackup,
    bob: bobHash,
    carol: carolHash,
    restricted: restrictedHash,
    closed: closedHash,
    denied: deniedHash,
  };
  db.transaction(() => {
    const app = db.prepare(
      'INSERT INTO client_applications (id, name, api_key_sha256, revoked_at, search_types, recovery_methods) VALUES (?, ?, ?, ?, ?, ?)',
    );
    app.run(
      'demo-web',
      'Demo web app',
      sha256(DEMO.apiKey),
      null,
      JSON.stringify(DEMO.searchTypes),
      '["question","phone","email"]',
    );
    app.run('demo-mobile', 'Demo mobile app', sha256(DEMO.mobileApiKey), null, '["objects"]', '["email"]');
    app.run('old-web', 'Retired web app', sha256(DEMO.revokedApiKey), '2026-01-01T00:00:00.000Z', '[]', '[]');
    app.run('partner', 'Partner reporting', null, null, '[]', '[]');
    db.prepare('INSERT INTO signing_keys (key_id, client_id, secret) VALUES (?, ?, ?)').run(
      DEMO.signingKeyId,
      'partner',
      DEMO.signingSecret,
    );

    const user = db.prepare(
      `INSERT INTO users (login_id, password_hash, status, email, phone, control_question, control_answer_hash,
                          second_factor, critical_auth_method, recovery_disabled)
       VALUES (@loginId, @hash, @status, @email, @phone, @question, @answer, @secondFactor, @critical, @recoveryDisabled)`,
    );
    const base = {
      status: 'active',
      email: null,
      phone: null,
      question: null,
      answer: null,
      secondFactor: 0,
      critical: 'password',
      recoveryDisabled: '[]',
    };
    const aliceId = user.run({
      ...base,
      loginId: alice.loginId,
      hash: hashes.alice,
      email: alice.email,
      phone: alice.phone,
      question: alice.controlQuestion,
      answer: hashes.aliceAnswer,
      secondFactor: 1,
      critical: 'otp',
    }).lastInsertRowid;
    // Encrypted under the user's id, so the row has to exist first.
    db.prepare('UPDATE users SET memorable_word_sealed = ? WHERE id = ?').run(
      memorableWords.seal(Number(aliceId), alice.memorableWord),
      aliceId,
    );
    const bobId = user.run({ ...base, loginId: bob.loginId, hash: hashes.bob, email: bob.email }).lastInsertRowid;
    const carolId = user.run({
      ...base,
      loginId: carol.loginId,
      hash: hashes.carol,
      phone: carol.phone,
      critical: 'otp',
      recoveryDisabled: '["phone"]',
    }).lastInsertRowid;
    user.run({ ...base, loginId: restricted.loginId, hash: hashes.restricted, status: 'restricted' });
    user.run({ ...base, loginId: closed.loginId, hash: hashes.closed, status: 'closed' });
    user.run({ ...base, loginId: denied.loginId, hash: hashes.denied, status: 'denied' });

    const backup = db.prepare('INSERT INTO backup_codes (user_id, code_hash) VALUES (?, ?)');
    for (const hash of hashes.aliceBackup) {
      backup.run(aliceId, hash);
    }
    const link = db.prepare('INSERT INTO oauth_links (client_id, provider, subject, user_id) VALUES (?, ?, ?, ?)');
    link.run('demo-web', 'demo', bob.oauthSubject, bobId);
    link.run('demo-web', 'demo', carol.oauthSubject, carolId);
    const object = db.prepare('INSERT INTO objects (owner_id, type, name, shared) VALUES (?, ?, ?, ?)');
    object.run(aliceId, 'note', 'Shopping list', 0);
    object.run(aliceId, 'document', 'Holiday plan', 1);
    object.run(bobId, 'note', "Bob's private note", 0);
    db.prepare('INSERT INTO members (member_number, surname, date_of_birth) VALUES (?, ?, ?)').run(
      DEMO.member.memberNumber,
      DEMO.member.surname,
      DEMO.member.dateOfBirth,
    );
  })();
}
