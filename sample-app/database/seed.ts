import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { hashSecret } from '../security/password-hasher.js';
import { DEMO } from './demo-data.js';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Hashes of a memorable word, one per letter position (1-based), so that letters can be checked one by one. */
export async function hashMemorableWord(word: string): Promise<string> {
  const letters = [...word.toLowerCase()];
  return JSON.stringify(await Promise.all(letters.map((letter, index) => hashSecret(`${index + 1}:${letter}`))));
}

/** Fills an empty database with the demo data of `DEMO`. */
export async function seedDemoData(db: Database.Database): Promise<void> {
  const { alice, bob, carol, restricted, closed, denied } = DEMO.users;
  const hashes = {
    alice: await hashSecret(alice.password),
    aliceAnswer: await hashSecret(alice.controlAnswer),
    aliceWord: await hashMemorableWord(alice.memorableWord),
    aliceBackup: await Promise.all(alice.backupCodes.map(code => hashSecret(code))),
    bob: await hashSecret(bob.password),
    carol: await hashSecret(carol.password),
    restricted: await hashSecret(restricted.password),
    closed: await hashSecret(closed.password),
    denied: await hashSecret(denied.password),
  };
  db.transaction(() => {
    const app = db.prepare(
      'INSERT INTO client_applications (id, name, api_key_sha256, revoked_at, search_types, recovery_methods) VALUES (?, ?, ?, ?, ?, ?)',
    );
    app.run('demo-web', 'Demo web app', sha256(DEMO.apiKey), null, JSON.stringify(DEMO.searchTypes), '["question","phone","email"]');
    app.run('demo-mobile', 'Demo mobile app', sha256(DEMO.mobileApiKey), null, '["objects"]', '["email"]');
    app.run('old-web', 'Retired web app', sha256(DEMO.revokedApiKey), '2026-01-01T00:00:00.000Z', '[]', '[]');
    app.run('partner', 'Partner reporting', null, null, '[]', '[]');
    db.prepare('INSERT INTO signing_keys (key_id, client_id, secret) VALUES (?, ?, ?)').run(DEMO.signingKeyId, 'partner', DEMO.signingSecret);

    const user = db.prepare(
      `INSERT INTO users (login_id, password_hash, status, email, phone, control_question, control_answer_hash, memorable_word_hash,
                          second_factor, critical_auth_method, recovery_disabled)
       VALUES (@loginId, @hash, @status, @email, @phone, @question, @answer, @word, @secondFactor, @critical, @recoveryDisabled)`,
    );
    const base = { status: 'active', email: null, phone: null, question: null, answer: null, word: null, secondFactor: 0, critical: 'password', recoveryDisabled: '[]' };
    const aliceId = user.run({
      ...base,
      loginId: alice.loginId,
      hash: hashes.alice,
      email: alice.email,
      phone: alice.phone,
      question: alice.controlQuestion,
      answer: hashes.aliceAnswer,
      word: hashes.aliceWord,
      secondFactor: 1,
      critical: 'otp',
    }).lastInsertRowid;
    const bobId = user.run({ ...base, loginId: bob.loginId, hash: hashes.bob, email: bob.email }).lastInsertRowid;
    user.run({ ...base, loginId: carol.loginId, hash: hashes.carol, phone: carol.phone, critical: 'otp', recoveryDisabled: '["phone"]' });
    user.run({ ...base, loginId: restricted.loginId, hash: hashes.restricted, status: 'restricted' });
    user.run({ ...base, loginId: closed.loginId, hash: hashes.closed, status: 'closed' });
    user.run({ ...base, loginId: denied.loginId, hash: hashes.denied, status: 'denied' });

    const backup = db.prepare('INSERT INTO backup_codes (user_id, code_hash) VALUES (?, ?)');
    for (const hash of hashes.aliceBackup) {
      backup.run(aliceId, hash);
    }
    db.prepare('INSERT INTO oauth_links (client_id, provider, subject, user_id) VALUES (?, ?, ?, ?)').run('demo-web', 'demo', bob.oauthSubject, bobId);
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
