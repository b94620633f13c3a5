import { Controller, Get, Injectable, Module, Post, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  ApiErrorsModule,
  ApiKeyGuard,
  AuthPrincipal,
  ClientApp,
  RequireAuthorization,
  TokenExpiredException,
  type ClientApplication,
  type Principal,
} from 'nestjs-api-errors';
import { expectError } from '../support/expect-error.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';
import { signatureHeader } from '../support/signing.js';

/** A stand-in for a database of client applications. */
@Injectable()
class ClientsRepository {
  down = false;
  async findByKey(key: string): Promise<ClientApplication | null> {
    if (this.down) {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
    }
    return key === 'db-key-0123456789' ? { id: 'from-db' } : null;
  }
}

@Module({ providers: [ClientsRepository], exports: [ClientsRepository] })
class DatabaseModule {}

@Controller()
class WiringController {
  @Get('open')
  open(@ClientApp() client: ClientApplication): { client: string } {
    return { client: client.id };
  }

  @Get('use-guards')
  @UseGuards(ApiKeyGuard)
  useGuards(@ClientApp() client: ClientApplication): { client: string } {
    return { client: client.id };
  }

  @Get('opaque')
  @RequireAuthorization({ schemes: ['bearer'] })
  opaque(@AuthPrincipal() principal: Principal): { principal: string } {
    return { principal: principal.id };
  }

  @Post('signed')
  @RequireAuthorization({ schemes: ['signature'] })
  signed(@AuthPrincipal() principal: Principal): { principal: string } {
    return { principal: principal.id };
  }
}

const imports = [
  ApiErrorsModule.forRootAsync({
    imports: [DatabaseModule],
    inject: [ClientsRepository],
    useFactory: (clients: ClientsRepository) => ({
      apiKey: { validator: { validate: (key: string) => clients.findByKey(key) } },
      bearer: {
        verifier: {
          verify: async (token: string): Promise<Principal> => {
            if (token === 'opaque-expired') {
              throw new TokenExpiredException();
            }
            return { id: `opaque:${token.length}` };
          },
        },
      },
      signature: { keys: { k1: { secrets: ['wiring-secret-0123456789abcdef-wiring'], principal: { id: 'k1' } } } },
    }),
  }),
  DatabaseModule,
];

describe.each(ADAPTERS)('guard wiring on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(adapter, {
      imports,
      controllers: [WiringController],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    });
  });
  afterAll(() => running.close());

  it('works as a global guard (APP_GUARD) with a validator from forRootAsync', async () => {
    expectError(await send(running.baseUrl, '/open'), 'auth.apikey.missing');
    expectError(
      await send(running.baseUrl, '/open', { headers: { 'x-api-key': 'wrong-key-000' } }),
      'auth.apikey.invalid',
    );
    const res = await send(running.baseUrl, '/open', { headers: { 'x-api-key': 'db-key-0123456789' } });
    expect(res.text).toBe('{"status":"success","client":"from-db"}');
  });

  it('composes with @UseGuards', async () => {
    const res = await send(running.baseUrl, '/use-guards', { headers: { 'x-api-key': 'db-key-0123456789' } });
    expect(res.text).toBe('{"status":"success","client":"from-db"}');
  });

  it('fails closed with 503 when the key database is down, and logs why (without the key)', async () => {
    const clients = running.app.get(ClientsRepository);
    clients.down = true;
    try {
      const res = await send(running.baseUrl, '/open', { headers: { 'x-api-key': 'db-key-0123456789' } });
      expectError(res, 'server.unavailable');
      const [line] = running.logs.linesWith(res.json.error_id);
      expect(entryOf(line).stack).toContain('ECONNREFUSED');
      expect(running.logs.text()).not.toContain('db-key-0123456789');
    } finally {
      clients.down = false;
    }
  });

  it('takes a verifier of its own for opaque tokens', async () => {
    const key = { 'x-api-key': 'db-key-0123456789' };
    const ok = await send(running.baseUrl, '/opaque', { headers: { ...key, authorization: 'Bearer opaque-123' } });
    expect(ok.text).toBe('{"status":"success","principal":"opaque:10"}');
    expectError(
      await send(running.baseUrl, '/opaque', { headers: { ...key, authorization: 'Bearer opaque-expired' } }),
      'auth.token.expired',
    );
  });

  it('says in the log that rawBody is needed when a signed request has a body and the app keeps none', async () => {
    const body = '{"a":1}';
    const authorization = signatureHeader({
      keyId: 'k1',
      secret: 'wiring-secret-0123456789abcdef-wiring',
      path: '/signed',
      body,
      nonce: 'nonce-0123456789abcdef',
    });
    const res = await send(running.baseUrl, '/signed', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'db-key-0123456789',
        authorization,
      },
    });
    expectError(res, 'server.internal.error');
    expect(entryOf(running.logs.linesWith(res.json.error_id)[0]).stack).toContain('rawBody: true');
  });
});
