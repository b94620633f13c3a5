// nestjs-api-errors as an application installs it: from the packed tarball, loaded by this project's
// Jest, over real HTTP.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiErrorsModule, ObjectIdNotFoundException, RequireApiKey } from 'nestjs-api-errors';

const API_KEY = 'smoke-test-key-0f3a9c7e51b2';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@Controller()
class SmokeController {
  @Get('objects/42')
  find(): never {
    throw new ObjectIdNotFoundException();
  }

  @Get('secret')
  @RequireApiKey()
  secret(): { answer: number } {
    return { answer: 42 };
  }
}

describe('nestjs-api-errors installed from its tarball', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ApiErrorsModule.forRoot({ apiKey: { keys: [{ key: API_KEY, client: { id: 'smoke' } }] } })],
      controllers: [SmokeController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    return { status: response.status, errorId: response.headers.get('x-error-id'), body: await response.json() };
  }

  it('gives each per-code exception its code', () => {
    expect(new ObjectIdNotFoundException().errorCode).toBe('object.id.notfound');
  });

  /** `path` answers exactly the error envelope of `code`, with its error id in `X-Error-Id`. */
  async function expectErrorEnvelope(
    path: string,
    headers: Record<string, string>,
    expected: { status: number; code: string; message: string },
  ) {
    const { status, errorId, body } = await get(path, headers);
    expect(status).toBe(expected.status);
    expect(body).toEqual({
      status: 'error',
      error_code: expected.code,
      error_id: expect.stringMatching(UUID),
      messages: [expected.message],
    });
    expect(errorId).toBe(body.error_id);
  }

  it('answers a typed exception with the error envelope', async () => {
    await expectErrorEnvelope(
      '/objects/42',
      {},
      {
        status: 404,
        code: 'object.id.notfound',
        message: 'Requested object id is not found.',
      },
    );
  });

  it('answers a request without an API key with 401 auth.apikey.missing', async () => {
    await expectErrorEnvelope(
      '/secret',
      {},
      {
        status: 401,
        code: 'auth.apikey.missing',
        message: 'Request does not have X-Api-Key header which must contain API key of the client application.',
      },
    );
  });

  it('answers a wrong API key with 401 auth.apikey.invalid', async () => {
    await expectErrorEnvelope(
      '/secret',
      { 'X-Api-Key': 'not-the-key' },
      {
        status: 401,
        code: 'auth.apikey.invalid',
        message: 'API key supplied in X-Api-Key request header is invalid.',
      },
    );
  });

  it('lets the right API key through, with the success envelope', async () => {
    const { status, errorId, body } = await get('/secret', { 'X-Api-Key': API_KEY });
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'success', answer: 42 });
    expect(errorId).toBeNull();
  });
});
