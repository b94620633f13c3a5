// The sample app as the fuzz runs it: in-memory SQLite and store, cheap scrypt (hashing is not what is
// tested), 4xx not logged; 5xx and warnings kept so that a fault shows what it was.
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createSampleApp } from '../../sample-app/app.factory.js';
import { sampleConfigFromEnv, type SampleAdapter, type SampleConfig } from '../../sample-app/config.js';
import { DEMO } from '../../sample-app/database/demo-data.js';
import type { FuzzContext } from './fuzz.js';

export interface FuzzedApp {
  app: INestApplication;
  port: number;
  /** The lines logged at `error` and `fatal` level (5xx with their stacks). */
  errors: string[];
  context: FuzzContext;
  close(): Promise<void>;
}

class ErrorLines implements LoggerService {
  readonly lines: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown, ...params: unknown[]): void {
    this.lines.push([message, ...params].map(String).join(' '));
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.error(message, ...params);
  }
}

export function fuzzSampleConfig(adapter: SampleAdapter): SampleConfig {
  return {
    ...sampleConfigFromEnv({}),
    adapter,
    database: ':memory:',
    dataDir: null,
    redisUrl: undefined,
    redisKeyPrefix: `sample-fuzz-${process.pid}-${adapter}:`,
    demoMode: true,
    clientErrorLogLevel: false,
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  };
}

/** Starts the sample app on 127.0.0.1 on a free port. */
export async function startFuzzedSampleApp(adapter: SampleAdapter): Promise<FuzzedApp> {
  const logger = new ErrorLines();
  const app = await createSampleApp(fuzzSampleConfig(adapter), { logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    port,
    errors: logger.lines,
    context: { apiKey: DEMO.apiKey, otherKeys: [DEMO.mobileApiKey, DEMO.revokedApiKey] },
    close: () => app.close(),
  };
}
