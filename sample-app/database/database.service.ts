import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SAMPLE_CONFIG, type SampleConfig } from '../config.js';
import { MemorableWords } from '../security/memorable-words.js';
import { PasswordHasher } from '../security/password-hasher.js';
import { MIGRATIONS } from './migrations.js';
import { seedDemoData } from './seed.js';

/**
 * The sample's SQLite database (better-sqlite3): opened, migrated and, when empty, seeded with the demo
 * data at start-up; closed on shutdown. `DATABASE=:memory:` keeps it in memory (tests).
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  #db: Database.Database | undefined;

  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    private readonly hasher: PasswordHasher,
    private readonly memorableWords: MemorableWords,
  ) {}

  get db(): Database.Database {
    if (this.#db === undefined) {
      throw new Error('The database is not open yet');
    }
    return this.#db;
  }

  /** Opens, migrates and seeds; called once by the module's factory before anything reads. */
  async open(): Promise<void> {
    const file = this.config.database;
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
    }
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted content is overwritten, not left in free pages for a copy of the file to show.
    db.pragma('secure_delete = ON');
    this.#db = db;
    const version = db.pragma('user_version', { simple: true }) as number;
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index >= version) {
        db.transaction(() => {
          db.exec(sql);
          db.pragma(`user_version = ${index + 1}`);
        })();
      }
    }
    const users = db.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
    if (users.n === 0) {
      await seedDemoData(db, this.hasher, this.memorableWords);
      this.logger.log(`Created and seeded ${file}`);
    }
  }

  /**
   * A setting, created with a random value the first time (the token signing key, the OTP hash key).
   * These live in the database's `settings` table; the memorable-word key does not (see `memorable-words.ts`).
   */
  secret(key: string): string {
    const db = this.db;
    db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(
      key,
      randomBytes(32).toString('base64url'),
    );
    return (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string }).value;
  }

  onApplicationShutdown(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}
