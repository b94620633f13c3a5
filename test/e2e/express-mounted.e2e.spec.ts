import { Controller, Post, Query } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ApiErrorsModule, AuthPrincipal, RequireAuthorization, type Principal } from 'nestjs-api-errors';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type AdapterName } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';
import { LogCapture } from '../support/log-capture.js';
import { signatureHeader } from '../support/signing.js';

/** Express as @nestjs/platform-express installs it (it ships no types of its own). */
interface ExpressApp {
  (request: unknown, response: unknown, next?: unknown): void;
  use(path: string, handler: unknown): ExpressApp;
  listen(port: number, host: string, callback: () => void): Server;
}
const express = createRequire(import.meta.url)('express') as () => ExpressApp;

const KEY_ID = 'partner-1';
const SECRET = 'mounted-secret-0123456789abcdef-0123';

@Controller('payments')
class PaymentsController {
  @Post()
  @RequireAuthorization({ schemes: ['signature'] })
  pay(
    @AuthPrincipal() principal: Principal,
    @Query('currency') currency: string,
  ): { principal: string; currency: string } {
    return { principal: principal.id, currency };
  }
}

const metadata = () => ({
  imports: [
    ApiErrorsModule.forRoot({ signature: { keys: { [KEY_ID]: { secrets: [SECRET], principal: { id: KEY_ID } } } } }),
  ],
  controllers: [PaymentsController],
});

interface Mounted {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The Nest app as the client reaches it under `/api`. Express: the Nest app's own Express instance
 * mounted with `parent.use('/api', …)` on a parent Express app (Nest's `req.url` is then `/payments`,
 * `req.originalUrl` `/api/payments`). Fastify cannot be mounted that way; its routes sit under a global
 * prefix, and the raw URL is what the client sent.
 */
async function mounted(adapter: AdapterName): Promise<Mounted> {
  if (adapter === 'fastify') {
    const running = await startApp(adapter, metadata(), app => app.setGlobalPrefix('api'), { rawBody: true });
    return { baseUrl: running.baseUrl, close: () => running.close() };
  }
  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule(metadata()).setLogger(logs).compile();
  const nestExpress = express();
  const app: INestApplication = moduleRef.createNestApplication(new ExpressAdapter(nestExpress), {
    logger: logs,
    rawBody: true,
  });
  app.useLogger(logs);
  await app.init();
  const parent = express();
  parent.use('/api', nestExpress);
  const server = await new Promise<Server>(resolve => {
    const listening: Server = parent.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await app.close();
    },
  };
}

const signature = (path: string, query: string, body: string): string =>
  signatureHeader({ keyId: KEY_ID, secret: SECRET, path, query, body });

describe.each(ADAPTERS)('a signed request to an app reached under /api, on %s', adapter => {
  let app: Mounted;
  const body = '{"amount":100}';
  const post = (authorization: string) =>
    send(app.baseUrl, '/api/payments?currency=EUR', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization },
    });

  beforeAll(async () => {
    app = await mounted(adapter);
  });

  afterAll(async () => {
    await app.close();
  });

  it('verifies the signature over the path the client sent', async () => {
    const res = await post(signature('/api/payments', 'currency=EUR', body));
    expect({ status: res.status, text: res.text }).toEqual({
      status: 201,
      text: '{"status":"success","principal":"partner-1","currency":"EUR"}',
    });
  });

  it('refuses a signature made over the path without the mount point', async () => {
    const res = await post(signature('/payments', 'currency=EUR', body));
    expectError(res, 'auth.signature.invalid');
  });
});
