import 'reflect-metadata';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import {
  ApiErrorsConfigurationError,
  ApiErrorsModule,
  applyApiErrorResponses,
  createApiErrorsDocument,
  createValidationPipe,
  type ApiErrorsDocumentOptions,
} from 'nestjs-api-errors';
import {
  CodesController,
  GlobalGuard,
  GuardFieldsController,
  KeyedObjectsController,
  PublicObjectsController,
  SecureController,
  SuccessController,
  TypoController,
  fixtureErrors,
} from '../fixtures/openapi.fixture.js';

interface Built {
  app: INestApplication;
  document: any;
}

async function build(
  controllers: Type[],
  {
    globalGuard = false,
    globalPipe = false,
    config = new DocumentBuilder().setTitle('t').build(),
    options = {},
  } = {} as {
    globalGuard?: boolean;
    globalPipe?: boolean;
    config?: object;
    options?: ApiErrorsDocumentOptions;
  },
): Promise<Built> {
  @Module({
    imports: [ApiErrorsModule.forRoot({ catalogues: [fixtureErrors] })],
    controllers,
    providers: globalGuard ? [{ provide: APP_GUARD, useClass: GlobalGuard }] : [],
  })
  class FixtureModule {}
  const app = (await Test.createTestingModule({ imports: [FixtureModule] }).compile()).createNestApplication({
    logger: false,
  });
  if (globalPipe) {
    app.useGlobalPipes(createValidationPipe());
  }
  await app.init();
  return { app, document: await createApiErrorsDocument(app, config as never, options) };
}

/** The codes a response's schema allows, from its enum or the enums of its branches. */
function codesOf(response: any): string[] {
  const schema = response.content['application/json'].schema;
  return (schema.oneOf ?? [schema]).flatMap((branch: any) => branch.properties.error_code.enum);
}

const statusesOf = (operation: any): string[] => Object.keys(operation.responses);

describe('createApiErrorsDocument: the codes of each route and status', () => {
  let built: Built;
  beforeAll(async () => {
    built = await build([CodesController], { globalGuard: true });
  });
  afterAll(() => built.app.close());

  it('lists the codes of @ApiErrorCodes() on the guards of the controller and the application', () => {
    const plain = built.document.paths['/codes'].get;
    expect(codesOf(plain.responses[401])).toEqual(['auth.session.invalid']);
    expect(codesOf(plain.responses[403])).toEqual(['auth.restricted']);
    expect(statusesOf(plain)).toEqual(['200', '401', '403', '500']);
  });

  it('lists the codes of the route’s interceptors and pipes', () => {
    const intercepted = built.document.paths['/codes/intercepted'].put;
    expect(codesOf(intercepted.responses[503])).toEqual(['shop.stock.checking']);
    expect(codesOf(intercepted.responses[409])).toEqual(['shop.basket.empty']);
    expect(intercepted.responses[422]).toBeUndefined();
  });

  it('adds 422 where a ValidationPipe validates a body class, and only there', () => {
    const paths = built.document.paths;
    expect(codesOf(paths['/codes/validated'].post.responses[422])).toEqual(['request.validation.failed']);
    expect(codesOf(paths['/codes/param-pipe/{id}'].post.responses[422])).toEqual(['request.validation.failed']);
    expect(paths['/codes/unvalidated'].post.responses[422]).toBeUndefined();
  });

  it('gives each status its own enum, and a oneOf branch to codes with other fields', () => {
    const responses = built.document.paths['/codes/critical'].put.responses;
    const forbidden = responses[403].content['application/json'].schema;
    expect(forbidden.oneOf).toHaveLength(2);
    const [plain, critical] = forbidden.oneOf;
    expect(plain.properties.error_code.enum).toEqual([
      'auth.user.restricted',
      'auth.user.closed',
      'auth.user.denied',
      'auth.restricted',
    ]);
    expect(plain.properties.critical_auth_method).toBeUndefined();
    expect(critical.properties.error_code.enum).toEqual(['critical.auth.required']);
    expect(critical.required).toContain('critical_auth_method');
    expect(critical.properties.critical_auth_method.enum).toEqual(['password', 'otp']);
    const tooMany = responses[429].content['application/json'].schema;
    expect(tooMany.properties.error_code.enum).toEqual(['request.rate.exceeded']);
    expect(tooMany.properties.retry_after).toMatchObject({ type: 'integer', minimum: 0 });
    expect(codesOf(responses[409])).toEqual(['shop.basket.empty']);
    expect(Object.keys(responses[401].content['application/json'].examples)).toEqual(codesOf(responses[401]));
    expect(responses[403].content['application/json'].examples['critical.auth.required'].value).toMatchObject({
      critical_auth_method: expect.any(String),
    });
  });

  it('describes the shared answers once, and refers to them where they apply', () => {
    const { paths, components } = built.document;
    expect(Object.keys(components.responses)).toEqual([
      'request.route.notfound',
      'request.body.toolarge',
      'request.mediatype.unsupported',
      'server.internal.error',
    ]);
    for (const [code, response] of Object.entries<any>(components.responses)) {
      expect(codesOf(response)).toEqual([code]);
      expect(response.content['application/json'].examples[code].value.error_code).toBe(code);
    }
    for (const [path, operations] of Object.entries<any>(paths)) {
      for (const operation of Object.values<any>(operations)) {
        expect(operation.responses[500]).toEqual({ $ref: '#/components/responses/server.internal.error' });
        const body = operation.requestBody !== undefined;
        if (path === '/codes/critical') {
          // no body, but it takes signatures, which refuse a body they cannot read with 415
          expect(operation.responses[413]).toBeUndefined();
          expect(operation.responses[415]).toEqual({ $ref: '#/components/responses/request.mediatype.unsupported' });
          continue;
        }
        expect(operation.responses[413]).toEqual(
          body ? { $ref: '#/components/responses/request.body.toolarge' } : undefined,
        );
        expect(operation.responses[415]).toEqual(
          body ? { $ref: '#/components/responses/request.mediatype.unsupported' } : undefined,
        );
      }
    }
    expect(paths['/codes/validated'].post.responses[413]).toBeDefined();
    expect(paths['/codes'].get.responses[415]).toBeUndefined();
  });

  it('marks X-Error-Id required on every error response', () => {
    const { paths, components } = built.document;
    const responses = [
      ...Object.values<any>(components.responses),
      ...Object.values<any>(paths).flatMap(operations =>
        Object.values<any>(operations).flatMap(operation =>
          Object.entries<any>(operation.responses)
            .filter(([status, response]) => Number(status) >= 400 && response.$ref === undefined)
            .map(([, response]) => response),
        ),
      ),
    ];
    expect(responses.length).toBeGreaterThan(10);
    for (const response of responses) {
      expect(response.headers['X-Error-Id']).toMatchObject({ required: true, schema: { type: 'string' } });
    }
  });

  it('refers every error response to one schema of messages', () => {
    const { components, paths } = built.document;
    expect(components.schemas.ApiErrorMessages.oneOf).toHaveLength(2);
    const schema = paths['/codes'].get.responses[401].content['application/json'].schema;
    expect(schema.properties.messages).toEqual({ $ref: '#/components/schemas/ApiErrorMessages' });
  });

  it('writes a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(structuredClone(built.document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('counts a global ValidationPipe', async () => {
    const withPipe = await build([CodesController], { globalPipe: true });
    expect(codesOf(withPipe.document.paths['/codes/unvalidated'].post.responses[422])).toEqual([
      'request.validation.failed',
    ]);
    expect(withPipe.document.paths['/codes'].get.responses[422]).toBeUndefined();
    await withPipe.app.close();
  });

  it('refuses a code no catalogue defines in @ApiErrorCodes(), naming it and the route', async () => {
    const failure = build([TypoController]);
    await expect(failure).rejects.toBeInstanceOf(ApiErrorsConfigurationError);
    await expect(failure).rejects.toThrow('TypoController.get can answer "shop.basket.emptty"');
  });
});

describe('applyApiErrorResponses', () => {
  it('gives a document built by SwaggerModule the same exact codes, self-contained', async () => {
    @Module({ imports: [ApiErrorsModule.forRoot({ catalogues: [fixtureErrors] })], controllers: [CodesController] })
    class PlainModule {}
    const app = (await Test.createTestingModule({ imports: [PlainModule] }).compile()).createNestApplication({
      logger: false,
    });
    await app.init();
    await applyApiErrorResponses(app);
    await applyApiErrorResponses(app);
    const document: any = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build());
    const responses = document.paths['/codes/critical'].put.responses;
    expect(codesOf(responses[401])).toEqual(expect.arrayContaining(['auth.apikey.missing', 'auth.session.invalid']));
    expect(codesOf(responses[500])).toEqual(['server.internal.error']);
    expect(responses[500].headers['X-Error-Id'].required).toBe(true);
    expect(Object.keys(responses[409].content['application/json'].examples)).toEqual(['shop.basket.empty']);
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    await app.close();
  });
});

describe('createApiErrorsDocument: success answers as they are sent', () => {
  let built: Built;
  beforeAll(async () => {
    built = await build([SuccessController]);
  });
  afterAll(() => built.app.close());

  const schemaOf = (path: string, method: string, status: number): any =>
    built.document.paths[path][method].responses[status].content?.['application/json'].schema;
  const ENVELOPE_STATUS = { type: 'string', enum: ['success'] };

  it('puts status beside the fields of an object type', () => {
    expect(schemaOf('/success/object', 'get', 200)).toEqual({
      allOf: [
        { $ref: '#/components/schemas/ItemDto' },
        { type: 'object', required: ['status'], properties: { status: ENVELOPE_STATUS } },
      ],
    });
  });

  it('puts an array or a number under data, and leaves a string (sent as text) alone', () => {
    expect(schemaOf('/success/list', 'get', 200)).toEqual({
      type: 'object',
      required: ['status', 'data'],
      properties: { status: ENVELOPE_STATUS, data: { type: 'array', items: { $ref: '#/components/schemas/ItemDto' } } },
    });
    expect(schemaOf('/success/count', 'post', 201).properties.data).toEqual({ type: 'number' });
    expect(schemaOf('/success/text', 'get', 200)).toEqual({ type: 'string' });
  });

  it('gives a route that declares nothing its default status with the bare envelope', () => {
    const bare = {
      type: 'object',
      required: ['status'],
      properties: { status: ENVELOPE_STATUS },
      additionalProperties: true,
    };
    expect(schemaOf('/success/undeclared', 'post', 201)).toEqual(bare);
    expect(schemaOf('/success/accepted', 'post', 202)).toEqual(bare);
    expect(statusesOf(built.document.paths['/success/accepted'].post)).toEqual(['202', '409', '500']);
  });

  it('gives 204 no body, and leaves a route that skips the envelope as declared', () => {
    const gone = built.document.paths['/success/gone'].delete.responses;
    expect(gone[204]).toEqual({ description: '' });
    expect(schemaOf('/success/raw', 'get', 200)).toEqual({ $ref: '#/components/schemas/ItemDto' });
  });

  it('documents a success on every operation', () => {
    for (const operations of Object.values<any>(built.document.paths)) {
      for (const operation of Object.values<any>(operations)) {
        expect(statusesOf(operation).some(status => status.startsWith('2'))).toBe(true);
      }
    }
  });
});

describe('createApiErrorsDocument: security', () => {
  const securityOf = (document: any, path: string): unknown => document.paths[path].get.security;

  it('adds the package’s schemes when the document has none, one requirement per accepted scheme', async () => {
    const { app, document } = await build([SecureController]);
    expect(securityOf(document, '/secure/key')).toEqual([{ 'api-key': [] }]);
    expect(securityOf(document, '/secure/both')).toEqual([
      { 'api-key': [], bearer: [] },
      { 'api-key': [], signature: [] },
    ]);
    expect(securityOf(document, '/secure/signed')).toEqual([{ signature: [] }]);
    expect(securityOf(document, '/secure/own')).toEqual([{ mine: [] }]);
    expect(securityOf(document, '/secure/open')).toBeUndefined();
    // the handler's own extension stays, in the document and on the handler; the build's marks do not
    expect(document.paths['/secure/open'].get['x-owner']).toBe('team');
    expect(Reflect.getMetadata('swagger/apiExtension', SecureController.prototype.open)).toEqual({ 'x-owner': 'team' });
    expect(Reflect.getMetadata('swagger/apiExtension', SecureController.prototype.key)).toBeUndefined();
    expect(JSON.stringify(document)).not.toContain('x-nestjs-api-errors');
    expect(document.components.securitySchemes).toEqual({
      'api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      signature: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
    });
    expect((await new Validator().validate(structuredClone(document))).valid).toBe(true);
    await app.close();
  });

  it('tells apart the routes two controllers inherit from one base class', async () => {
    const { app, document } = await build([KeyedObjectsController, PublicObjectsController]);
    const keyed = document.paths['/keyed/{id}'].get;
    const open = document.paths['/public/{id}'].get;
    expect(keyed.security).toEqual([{ 'api-key': [] }]);
    expect(codesOf(keyed.responses[401])).toEqual(['auth.apikey.missing', 'auth.apikey.invalid']);
    expect(open.security).toBeUndefined();
    expect(statusesOf(open)).toEqual(['200', '404', '500']);
    expect(codesOf(open.responses[404])).toEqual(['object.id.notfound']);
    await app.close();
  });

  it('uses the document’s own schemes, or the names given', async () => {
    const config = new DocumentBuilder()
      .setTitle('t')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'client')
      .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'session')
      .build();
    const before = structuredClone(config.components);
    const { app, document } = await build([SecureController], {
      config,
      options: { securitySchemeNames: { signature: 'hmac' } },
    });
    expect(securityOf(document, '/secure/both')).toEqual([
      { client: [], session: [] },
      { client: [], hmac: [] },
    ]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['client', 'session', 'hmac']);
    expect(config.components).toEqual(before);
    await app.close();
  });
});

describe('createApiErrorsDocument: the body fields the guards read', () => {
  let built: Built;
  const bodyOf = (path: string, method = 'post'): any =>
    built.document.paths[`/guard-fields/${path}`][method].requestBody;
  beforeAll(async () => {
    built = await build([GuardFieldsController]);
  });
  afterAll(() => built.app.close());

  it('adds a required captcha_response to a copy of the DTO’s schema, and leaves the DTO’s own alone', () => {
    const body = bodyOf('captcha');
    expect(body.required).toBe(true);
    const schema = body.content['application/json'].schema;
    expect(schema.$ref).toBeUndefined();
    expect(Object.keys(schema.properties).sort()).toEqual(['captcha_response', 'name']);
    expect(schema.required).toEqual(['name', 'captcha_response']);
    expect(Object.keys(built.document.components.schemas.ItemDto.properties)).toEqual(['name']);
  });

  it('adds password and otp (optional: the policy picks one) and the token alternative to a critical change', () => {
    const schema = bodyOf('critical', 'put').content['application/json'].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(['name', 'otp', 'password', 'token']);
    expect(schema.required).toEqual(['name']);
  });

  it('gives a route without a body one when a guard requires a field, naming the disclaimers it needs', () => {
    const body = bodyOf('disclaimers');
    expect(body.required).toBe(true);
    const schema = body.content['application/json'].schema;
    expect(schema.required).toEqual(['accept_disclaimers']);
    expect(schema.properties.accept_disclaimers.description).toContain('`terms-2026`, `privacy-2026`');
  });

  it('adds no token field to a route that takes signatures only', () => {
    expect(bodyOf('signed').content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemDto' });
  });

  it('still writes a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(structuredClone(built.document));
    expect(result.errors ?? []).toEqual([]);
  });
});
