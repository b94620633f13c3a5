import { join } from 'node:path';

/** Which HTTP adapter the sample runs on. */
export type SampleAdapter = 'express' | 'fastify';

/** One counter of attempts: at most `maxAttempts` within `windowSeconds` of the first. */
export interface AttemptLimitSetting {
  maxAttempts: number;
  windowSeconds: number;
}

/**
 * Limits on guessing secrets, each counted per account and per client IP address. Every attempt is
 * counted before the secret is checked; a right answer clears the account's counter, never the IP's.
 */
export interface SampleAttemptLimits {
  /** `POST /auth/login` (an unknown login id counts against the IP only). */
  signIn: { account: AttemptLimitSetting; ip: AttemptLimitSetting };
  /** The second factor: backup codes and memorable letters share one count. */
  secondFactor: { account: AttemptLimitSetting; ip: AttemptLimitSetting };
  /** Control answers of access recovery (`POST /recovery`, method `question`). */
  controlAnswer: { account: AttemptLimitSetting; ip: AttemptLimitSetting };
}

/** Work factors of scrypt for passwords, control answers and backup codes. */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** OWASP's first recommended scrypt setting: N = 2^17, r = 8, p = 1 (128 MiB and ~0.3 s per hash). */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };

/** 5 tries per account and a larger number per IP address, in 15-minute windows. */
export const DEFAULT_ATTEMPT_LIMITS: SampleAttemptLimits = {
  signIn: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 100, windowSeconds: 900 } },
  secondFactor: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 50, windowSeconds: 900 } },
  controlAnswer: { account: { maxAttempts: 5, windowSeconds: 900 }, ip: { maxAttempts: 20, windowSeconds: 900 } },
};

/** Everything the sample app can be configured with; `sampleConfigFromEnv()` reads it from the environment. */
export interface SampleConfig {
  /** `express` (default) or `fastify`. Env: `HTTP_ADAPTER`. */
  adapter: SampleAdapter;
  /** SQLite file, or `:memory:`. Env: `DATABASE` (default `<DATA_DIR>/sample.sqlite`). */
  database: string;
  /** Directory for the database and the demo SMS outbox, created when missing. Env: `DATA_DIR` (default `./data`). */
  dataDir: string | null;
  /** With a Redis URL, OTPs, nonces and counters live in Redis (several instances act as one). Env: `REDIS_URL`. */
  redisUrl?: string;
  /** Prefix of this app's keys in Redis. Env: `REDIS_KEY_PREFIX` (default `sample-app:`). */
  redisKeyPrefix: string;
  /**
   * Demo mode: mounts the sample's stand-in OAuth provider (`/demo-oauth/token`, which signs anyone in
   * as whoever `demo:<id>` names). Off unless `DEMO_MODE=1`; `npm start` turns it on.
   */
  demoMode: boolean;
  /**
   * Base URL of the OAuth provider's token endpoint. Env: `OAUTH_PROVIDER_URL`. Without it, OAuth uses
   * the demo provider in demo mode, and answers `auth.oauth.failed` otherwise.
   */
  oauthProviderUrl?: string;
  /**
   * Key (32 bytes, base64url) that memorable words are encrypted with. Env: `MEMORABLE_WORD_KEY`.
   * Default: the file `<DATA_DIR>/memorable-word.key`, created on first start; a random key per process
   * for a `:memory:` database.
   */
  memorableWordKey?: string;
  /** Lifetime of session tokens, in seconds. Env: `SESSION_TTL_SECONDS` (default 900). */
  sessionTtlSeconds: number;
  /** The clock, in milliseconds (tests move it forward). */
  now: () => number;
  /** Log 4xx lines (`log`) or not (`false`). */
  clientErrorLogLevel: 'log' | false;
  /** Limits on guessing secrets; read at each attempt. Default `DEFAULT_ATTEMPT_LIMITS`. */
  attemptLimits?: SampleAttemptLimits;
  /** scrypt work factors of new hashes (stored ones verify with their own). Default `DEFAULT_SCRYPT`. */
  scrypt?: ScryptParameters;
}

export function sampleConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  const dataDir = env.DATA_DIR ?? join(process.cwd(), 'data');
  const adapter = env.HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
  return {
    adapter,
    dataDir,
    database: env.DATABASE ?? join(dataDir, 'sample.sqlite'),
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? 'sample-app:',
    demoMode: env.DEMO_MODE === '1' || env.DEMO_MODE === 'true',
    oauthProviderUrl: env.OAUTH_PROVIDER_URL || undefined,
    memorableWordKey: env.MEMORABLE_WORD_KEY || undefined,
    sessionTtlSeconds: Number(env.SESSION_TTL_SECONDS ?? 900),
    now: Date.now,
    clientErrorLogLevel: 'log',
    attemptLimits: structuredClone(DEFAULT_ATTEMPT_LIMITS),
    scrypt: { ...DEFAULT_SCRYPT },
  };
}

/** Injection token of the `SampleConfig`. */
export const SAMPLE_CONFIG = Symbol('SAMPLE_CONFIG');
