import type { OpenAPIObject } from '@nestjs/swagger';
import { createSampleApp, openApiDocument } from '../../sample-app/app.factory.js';
import { sampleConfigFromEnv, type SampleAdapter } from '../../sample-app/config.js';

/**
 * The sample app's OpenAPI document, built in memory as `npm run openapi` builds it (an in-memory
 * database, no data folder, no Redis), so that the checks read what the sample publishes.
 */
export async function sampleOpenApiDocument(adapter: SampleAdapter = 'express'): Promise<OpenAPIObject> {
  const app = await createSampleApp(
    { ...sampleConfigFromEnv({}), adapter, database: ':memory:', dataDir: null, redisUrl: undefined },
    { logger: false },
  );
  try {
    await app.init();
    return await openApiDocument(app);
  } finally {
    await app.close();
  }
}
