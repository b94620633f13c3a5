// The `methodNotAllowed` option: a path that routes serve with other methods is answered 405
// `request.method.notallowed` with an Allow header, on both adapters; a path no route serves keeps its 404,
// and so does everything with the option off.
import { Controller, Delete, Get, Post, Put, VersioningType, type INestApplication } from '@nestjs/common';
import { ApiErrorsConfigurationError, ApiErrorsModule, type ApiErrorsModuleOptions } from 'nestjs-api-errors';
import { resolveApiErrorsOptions } from '../../lib/options/resolve-options.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';

@Controller('things')
class ThingsController {
  @Post()
  create(): object {
    return { id: 1 };
  }

  @Get(':id')
  read(): object {
    return { id: 1 };
  }

  @Put(':id')
  replace(): object {
    return { id: 1 };
  }

  @Delete(':id/tags/:tag')
  untag(): object {
    return {};
  }
}

@Controller({ path: 'versioned', version: '2' })
class VersionedController {
  @Get()
  read(): object {
    return {};
  }
}

function start(
  adapter: AdapterName,
  options: ApiErrorsModuleOptions,
  setup: (app: INestApplication) => void = () => {},
): Promise<RunningApp> {
  return startApp(
    adapter,
    { imports: [ApiErrorsModule.forRoot(options)], controllers: [ThingsController, VersionedController] },
    setup,
  );
}

describe.each(ADAPTERS)('methodNotAllowed, on %s', adapter => {
  describe('on', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await start(adapter, { methodNotAllowed: true });
    });
    afterAll(() => running.close());

    it('answers 405 with Allow on a parameterised path, HEAD counted with GET', async () => {
      const response = await send(running.baseUrl, '/things/42', { method: 'DELETE' });
      expect(response.status).toBe(405);
      expect(response.json.error_code).toBe('request.method.notallowed');
      expect(response.headers.allow).toBe('GET, HEAD, PUT');
    });

    it('lists the one method of a path served by POST only', async () => {
      const response = await send(running.baseUrl, '/things?x=1', { method: 'PATCH' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });

    it('answers HEAD on a path without GET with 405 too', async () => {
      const response = await send(running.baseUrl, '/things', { method: 'HEAD', skipErrorCheck: true });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('POST');
    });

    it('matches several parameters', async () => {
      const response = await send(running.baseUrl, '/things/1/tags/red', { method: 'GET' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('DELETE');
    });

    it('keeps 404 for a path no method serves', async () => {
      const response = await send(running.baseUrl, '/things/1/other', { method: 'GET' });
      expect(response.status).toBe(404);
      expect(response.json.error_code).toBe('request.route.notfound');
      expect(response.headers.allow).toBeUndefined();
    });

    it('leaves OPTIONS as it was', async () => {
      const response = await send(running.baseUrl, '/things/42', { method: 'OPTIONS' });
      expect(response.status).toBe(404);
      expect(response.headers.allow).toBeUndefined();
    });

    it('serves the methods it serves', async () => {
      const response = await send(running.baseUrl, '/things/42', { method: 'PUT' });
      expect(response.status).toBe(200);
    });
  });

  it('respects the global prefix and URI versions', async () => {
    const running = await start(adapter, { methodNotAllowed: true }, app => {
      app.setGlobalPrefix('api');
      app.enableVersioning({ type: VersioningType.URI });
    });
    try {
      const prefixed = await send(running.baseUrl, '/api/things/7', { method: 'POST' });
      expect(prefixed.status).toBe(405);
      expect(prefixed.headers.allow).toBe('GET, HEAD, PUT');
      const versioned = await send(running.baseUrl, '/api/v2/versioned', { method: 'DELETE' });
      expect(versioned.status).toBe(405);
      expect(versioned.headers.allow).toBe('GET, HEAD');
      // outside the prefix Express answers by itself (Nest mounts no not-found handler there): still a 404
      const unprefixed = await send(running.baseUrl, '/things/7', { method: 'POST', skipErrorCheck: true });
      expect(unprefixed.status).toBe(404);
      expect(unprefixed.headers.allow).toBeUndefined();
      const otherVersion = await send(running.baseUrl, '/api/v3/versioned', { method: 'DELETE' });
      expect(otherVersion.status).toBe(404);
    } finally {
      await running.close();
    }
  });

  it('is off by default: 404 as before', async () => {
    const running = await start(adapter, {});
    try {
      const response = await send(running.baseUrl, '/things/42', { method: 'DELETE' });
      expect(response.status).toBe(404);
      expect(response.json.error_code).toBe('request.route.notfound');
      expect(response.headers.allow).toBeUndefined();
    } finally {
      await running.close();
    }
  });

  it('answers in RFC 9457 format too, when asked', async () => {
    const running = await start(adapter, { methodNotAllowed: true, problemDetails: true });
    try {
      const response = await send(running.baseUrl, '/things/42', {
        method: 'DELETE',
        headers: { accept: 'application/problem+json' },
      });
      expect(response.status).toBe(405);
      expect(response.json).toMatchObject({ status: 405, error_code: 'request.method.notallowed' });
      expect(response.headers.allow).toBe('GET, HEAD, PUT');
    } finally {
      await running.close();
    }
  });
});

describe('methodNotAllowed option check', () => {
  it.each([['yes'], [1], [null]])('rejects %p', value => {
    expect(() => resolveApiErrorsOptions({ methodNotAllowed: value as never })).toThrow(ApiErrorsConfigurationError);
  });
});
