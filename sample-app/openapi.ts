import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSampleApp, openApiDocument } from './app.factory.js';
import { sampleConfigFromEnv } from './config.js';

/** `npm run openapi [file]`: writes the sample API's OpenAPI document (default `dist/openapi.json`). */
async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? 'dist/openapi.json');
  const app = await createSampleApp(
    { ...sampleConfigFromEnv(), database: ':memory:', dataDir: null, redisUrl: undefined },
    { logger: ['error'] },
  );
  await app.init();
  const document = await openApiDocument(app);
  await app.close();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`OpenAPI document written to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
