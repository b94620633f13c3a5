import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SampleConfig } from '../config.js';

const VERSION = 'v1';
/** Words are padded to this many bytes before encryption, so that the ciphertext does not tell their length. */
const PADDED_LENGTH = 32;
/** How many letters the second factor asks for. */
const LETTERS_ASKED = 3;

/**
 * Where the key of the memorable words comes from: `MEMORABLE_WORD_KEY`, else the file
 * `<DATA_DIR>/memorable-word.key` (created, readable by its owner only, on first start), else, for a
 * database in memory, a random key that lives as long as the process. Never the database: a dump or a
 * backup of it must not carry what decrypts it. In production the key belongs in a KMS or HSM.
 */
export function loadMemorableWordKey(config: SampleConfig): Buffer {
  if (config.memorableWordKey !== undefined) {
    return checkedKey(Buffer.from(config.memorableWordKey, 'base64url'), 'MEMORABLE_WORD_KEY');
  }
  if (config.database === ':memory:') {
    return randomBytes(32);
  }
  const file = join(config.dataDir ?? dirname(config.database), 'memorable-word.key');
  try {
    return checkedKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url'), file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      throw error;
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function checkedKey(key: Buffer, source: string): Buffer {
  if (key.length !== 32) {
    throw new Error(`${source} must hold a 32-byte key, base64url-encoded`);
  }
  return key;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Memorable words, encrypted with AES-256-GCM under a key kept outside the database, bound to their
 * user (the user id is the authenticated data, so a ciphertext copied to another row does not open).
 * A per-letter hash would fall to ~36 guesses a letter; a ciphertext without its key tells nothing, not
 * even the length (words are padded). Letters are compared in constant time after decryption.
 */
export class MemorableWords {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = checkedKey(key, 'the memorable-word key');
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, base64url, for `users.memorable_word_sealed`. */
  seal(userId: number, word: string): string {
    const normalised = word.normalize('NFC').toLowerCase();
    const bytes = Buffer.from(normalised, 'utf8');
    if ([...normalised].length < LETTERS_ASKED || bytes.length > PADDED_LENGTH) {
      throw new Error(`a memorable word has ${LETTERS_ASKED} to ${PADDED_LENGTH} bytes`);
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(this.aad(userId));
    const padded = Buffer.concat([bytes, Buffer.alloc(PADDED_LENGTH - bytes.length)]);
    const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map(part => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The letters of the word (lower case); throws when the value was not sealed for this user with this key. */
  open(userId: number, sealed: string): string[] {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new Error('not a sealed memorable word');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(this.aad(userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const padded = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    const end = padded.indexOf(0);
    return [...padded.subarray(0, end === -1 ? padded.length : end).toString('utf8')];
  }

  /** `LETTERS_ASKED` distinct positions (1-based) of a word of `length` letters, in order. */
  randomPositions(length: number, previous: readonly number[] = []): number[] {
    const count = Math.min(LETTERS_ASKED, length);
    for (;;) {
      const positions = new Set<number>();
      while (positions.size < count) {
        positions.add(randomInt(1, length + 1));
      }
      const sorted = [...positions].sort((a, b) => a - b);
      // After a wrong answer, ask for another set: the same three again would let guesses add up.
      if (previous.length === 0 || sorted.join() !== previous.join() || length <= count) {
        return sorted;
      }
    }
  }

  /**
   * `true` when `given` holds exactly the asked positions, each with the right letter (any case). The
   * comparison takes as long whichever letter is wrong.
   */
  matches(letters: readonly string[], asked: readonly number[], given: Readonly<Record<string, unknown>>): boolean {
    const keys = Object.keys(given).sort();
    const sameKeys =
      asked.length > 0 &&
      keys.length === asked.length &&
      [...asked]
        .map(String)
        .sort()
        .every((key, index) => key === keys[index]);
    const expected = asked.map(position => letters[position - 1] ?? '').join('\u0000');
    const answered = asked
      .map(position => {
        const letter = given[String(position)];
        return typeof letter === 'string' && [...letter].length === 1
          ? letter.normalize('NFC').toLowerCase()
          : '\u0001';
      })
      .join('\u0000');
    return timingSafeEqual(digest(expected), digest(answered)) && sameKeys;
  }

  private aad(userId: number): Buffer {
    return Buffer.from(`users.memorable_word_sealed:${userId}`, 'utf8');
  }
}
