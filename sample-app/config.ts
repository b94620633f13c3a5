import { join } from 'node:path';

/** Which HTTP adapter the sample runs on. */
export type SampleAdapter = 'express' | 'fastify';

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
  /** Base URL of the OAuth provider's token endpoint; default: the sample's own demo provider. Env: `OAUTH_PROVIDER_URL`. */
  oauthProviderUrl?: string;
  /** Lifetime of session tokens, in seconds. Env: `SESSION_TTL_SECONDS` (default 900). */
  sessionTtlSeconds: number;
  /** The clock, in milliseconds (tests move it forward). */
  now: () => number;
  /** Log 4xx lines (`log`) or not (`false`). */
  clientErrorLogLevel: 'log' | false;
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
    oauthProviderUrl: env.OAUTH_PROVIDER_URL || undefined,
    sessionTtlSeconds: Number(env.SESSION_TTL_SECONDS ?? 900),
    now: Date.now,
    clientErrorLogLevel: 'log',
  };
}

/** Injection token of the `SampleConfig`. */
export const SAMPLE_CONFIG = Symbol('SAMPLE_CONFIG');
