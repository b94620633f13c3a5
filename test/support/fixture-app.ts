import { HttpException, ValidationPipe, type HttpExceptionOptions, type ValidationPipeOptions } from '@nestjs/common';
import type { INestApplication, ModuleMetadata, NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { apiErrorsFastifyOptions, createValidationPipe, type ApiErrorsModuleOptions } from 'nestjs-api-errors';
import { FixtureModule } from '../fixtures/fixture.module.js';
import { LogCapture } from './log-capture.js';

export type AdapterName = 'express' | 'fastify';

/**
 * Whether Nest's `HttpException` takes an `errorCode` (Nest 12; the e2e suites also run on Nest 11,
 * where it does not, with `npm run test:nest11`).
 */
export const NEST_HAS_ERROR_CODE =
  new HttpException('', 400, { errorCode: 'probe' } as HttpExceptionOptions).errorCode === 'probe';

/** Whether Nest's `ValidationPipe` takes `errorFormat: 'grouped'` (Nest 12; Nest 11 lists every message). */
export const NEST_VALIDATION_PIPE_GROUPS =
  (new ValidationPipe({ errorFormat: 'grouped' } as ValidationPipeOptions) as unknown as { errorFormat?: string })
    .errorFormat === 'grouped';

/** The adapters every e2e suite runs on, for `describe.each`. */
export const ADAPTERS: AdapterName[] = ['express', 'fastify'];

export interface RunningApp {
  app: INestApplication;
  baseUrl: string;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface AdapterSetup {
  /** Create the Fastify adapter without `apiErrorsFastifyOptions()`, as an app that forgot it. */
  withoutFastifyOptions?: boolean;
}

/**
 * Starts an application on a real port on 127.0.0.1 with the given adapter and a log capture. The
 * Fastify adapter is created as the README says, with `apiErrorsFastifyOptions()`.
 */
export async function startApp(
  adapter: AdapterName,
  metadata: ModuleMetadata,
  setup: (app: INestApplication) => void = () => {},
  appOptions: NestApplicationOptions = {},
  adapterSetup: AdapterSetup = {},
): Promise<RunningApp> {
  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule(metadata).setLogger(logs).compile();
  const httpAdapter =
    adapter === 'express'
      ? new ExpressAdapter()
      : new FastifyAdapter(adapterSetup.withoutFastifyOptions === true ? undefined : apiErrorsFastifyOptions());
  const app = moduleRef.createNestApplication(httpAdapter, {
    logger: logs,
    ...appOptions,
  });
  app.useLogger(logs);
  setup(app);
  await app.init();
  if (adapter === 'fastify') {
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

/** The fixture app, with the validation pipe as most users set it up. */
export function startFixture(adapter: AdapterName, options: ApiErrorsModuleOptions = {}): Promise<RunningApp> {
  return startApp(adapter, { imports: [FixtureModule.register(options)] }, app => {
    app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  });
}
