// The request side of the sample app's OpenAPI document: bodies, path and query parameters are described
// from the DTOs' class-validator decorators, and say what the app's validation pipe accepts.
import 'reflect-metadata';
import { Body, Controller, Module, Param, Post, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, type OpenAPIObject } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv, type ValidateFunction } from 'ajv';
import { Expose, Type as TransformTo } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  getMetadataStorage,
  isEmail,
  isUUID,
} from 'class-validator';
import { createApiErrorsDocument, createValidationPipe } from 'nestjs-api-errors';
import { LoginDto } from '../../sample-app/auth/auth.dto.js';
import { CreateAccountDto } from '../../sample-app/accounts/accounts.controller.js';
import { createSampleApp, openApiDocument } from '../../sample-app/app.factory.js';
import { sampleConfigFromEnv } from '../../sample-app/config.js';
import { DEMO } from '../../sample-app/database/demo-data.js';
import { CreateObjectDto, ObjectIdParams } from '../../sample-app/objects/objects.controller.js';
import { PartnerReportDto } from '../../sample-app/partner/partner.controller.js';
import { MembershipDto } from '../../sample-app/profile/profile.controller.js';
import { RecoveryDto } from '../../sample-app/recovery/recovery.controller.js';
import { SearchQuery } from '../../sample-app/search/search.controller.js';
import { closeRequestSchemas, describeRequestClasses } from '../../sample-app/openapi-requests.js';

type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

function operations(document: OpenAPIObject): { path: string; method: string; operation: Json }[] {
  return Object.entries<Json>(document.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

function resolve(document: OpenAPIObject, schema: Json): Json {
  const ref = schema.$ref as string | undefined;
  return ref === undefined
    ? schema
    : (document.components?.schemas?.[ref.replace('#/components/schemas/', '')] as Json);
}

/**
 * Ajv reading the document's component schemas, with the formats checked by class-validator's own
 * functions, so that a disagreement is one of the schema and not of two email checks.
 */
function schemaValidator(document: OpenAPIObject): (schema: Json) => ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addKeyword('components');
  ajv.addFormat('email', { type: 'string', validate: (value: string) => isEmail(value) });
  ajv.addFormat('uuid', { type: 'string', validate: (value: string) => isUUID(value) });
  ajv.addSchema({ $id: 'openapi.json', components: { schemas: document.components?.schemas ?? {} } });
  return schema => ajv.compile(schema.$ref === undefined ? schema : { $ref: `openapi.json${String(schema.$ref)}` });
}

/** What the app's validation pipe (as the sample configures it) says of a value for a class. */
async function pipeAccepts(metatype: Type, type: 'body' | 'query' | 'param', value: unknown): Promise<boolean> {
  const pipe = createValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  return pipe.transform(value, { type, metatype, data: '' }).then(
    () => true,
    () => false,
  );
}

/** The parameters of one operation as an object schema, to check a whole query or path at once. */
function parametersSchema(operation: Json, where: 'query' | 'path'): Json {
  const parameters = (operation.parameters as Json[]).filter(parameter => parameter.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map(parameter => [parameter.name, parameter.schema])),
    required: parameters.filter(parameter => parameter.required === true).map(parameter => parameter.name),
    additionalProperties: false,
  };
}

async function expectAgreement(
  validate: ValidateFunction,
  metatype: Type,
  type: 'body' | 'query' | 'param',
  values: unknown[],
): Promise<void> {
  const verdicts = await Promise.all(
    values.map(async value => ({ value, schema: validate(value), pipe: await pipeAccepts(metatype, type, value) })),
  );
  expect(verdicts.filter(verdict => verdict.schema !== verdict.pipe)).toEqual([]);
  // Both answers occur, or the comparison proves little.
  expect(new Set(verdicts.map(verdict => verdict.pipe))).toEqual(new Set([true, false]));
}

/** The body fields the package's guards read, which it adds to the request schemas of their routes. */
const GUARD_BODY_FIELDS = ['token', 'captcha_response', 'accept_disclaimers', 'password', 'otp'];

describe("the sample app's OpenAPI document, request side", () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  let schemaOf: (schema: Json) => ValidateFunction;
  const component = (name: string): Json => document.components?.schemas?.[name] as Json;
  /**
   * The DTO an operation's body schema stands for: its `$ref`, or, where the route's guards read body
   * fields (the package then documents them in a copy of the DTO's schema), the component whose
   * properties the copy has, less the guards' fields.
   */
  const dtoOf = (schema: Json): string => {
    if (typeof schema.$ref === 'string') {
      return schema.$ref.split('/').pop()!;
    }
    const fields = Object.keys(schema.properties as Json);
    const candidates = Object.entries(document.components?.schemas ?? {})
      .map(([name, component]) => ({ name, own: Object.keys((component as Json).properties ?? {}) }))
      .filter(
        ({ own }) =>
          own.length > 0 &&
          own.every(field => fields.includes(field)) &&
          fields.every(field => own.includes(field) || GUARD_BODY_FIELDS.includes(field)),
      )
      .sort((a, b) => b.own.length - a.own.length);
    const name = candidates[0]!.name;
    return name;
  };

  beforeAll(async () => {
    app = await createSampleApp(
      { ...sampleConfigFromEnv({}), database: ':memory:', dataDir: null, redisUrl: undefined },
      { logger: false },
    );
    await app.init();
    // Built twice, as the app does (Swagger UI at start, then `npm run openapi` or a test): the second
    // document must be the same.
    const first = await openApiDocument(app);
    document = await openApiDocument(app);
    expect(document).toEqual(first);
    schemaOf = schemaValidator(document);
  });

  afterAll(async () => {
    await app.close();
  });

  it('is a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(structuredClone(document) as unknown as Json);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.0\./);
  });

  it('gives every request body a DTO schema with properties, closed as the whitelisting pipe is', () => {
    const bodies = operations(document).filter(({ operation }) => operation.requestBody !== undefined);
    expect(bodies.length).toBeGreaterThanOrEqual(12);
    const open = bodies.filter(({ operation }) => {
      const schema = resolve(document, operation.requestBody.content['application/json'].schema as Json);
      return Object.keys(schema.properties ?? {}).length === 0 || schema.additionalProperties !== false;
    });
    expect(open.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('requires what the DTOs do not mark @IsOptional(), for every body schema', () => {
    const bodies = operations(document).filter(({ operation }) => operation.requestBody !== undefined);
    const classes = new Map(describeRequestClasses(app).map(type => [type.name, type]));
    for (const { operation } of bodies) {
      const name = dtoOf(operation.requestBody.content['application/json'].schema as Json);
      const metadata = getMetadataStorage().getTargetValidationMetadatas(classes.get(name)!, '', true, false);
      const optional = new Set(
        metadata.filter(meta => meta.type === 'conditionalValidation').map(meta => meta.propertyName),
      );
      const required = [...new Set(metadata.map(meta => meta.propertyName))].filter(name => !optional.has(name));
      expect({ name, required: [...(component(name).required ?? [])].sort() }).toEqual({
        name,
        required: required.sort(),
      });
    }
    expect(component('CreateAccountDto').required).toEqual(['login_id', 'password', 'email']);
    expect(component('RecoveryDto').required).toEqual(['login_id', 'method']);
    expect(component('CreateObjectDto').required).toEqual(['type', 'name']);
    expect(component('PartnerReportDto').required).toEqual(['period', 'total']);
  });

  it('carries the lengths, bounds, patterns and enums of the decorators', () => {
    expect(component('LoginDto').properties.login_id).toEqual({ type: 'string', minLength: 1, maxLength: 100 });
    expect(component('CreateAccountDto').properties.password).toEqual({
      type: 'string',
      minLength: 12,
      maxLength: 200,
    });
    expect(component('CreateAccountDto').properties.login_id).toEqual({
      type: 'string',
      pattern: '^[a-z0-9._-]{3,32}$',
    });
    expect(component('CreateObjectDto').properties.type).toEqual({ type: 'string', enum: DEMO.objectTypes });
    expect(component('CreateObjectDto').properties.shared).toEqual({ type: 'boolean' });
    expect(component('RecoveryDto').properties.method.enum).toEqual(['question', 'phone', 'email']);
    expect(component('PartnerReportDto').properties.total).toEqual({ type: 'integer', minimum: 0 });
    expect(component('MembershipDto').properties.member_number.pattern).toBe('^M-[0-9]{4,8}$');
  });

  it('declares every path template variable as a required path parameter, on every operation', () => {
    let variables = 0;
    for (const { path, method, operation } of operations(document)) {
      const declared = ((operation.parameters ?? []) as Json[]).filter(parameter => parameter.in === 'path');
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map(match => match[1]);
      variables += names.length;
      expect({ path, method, declared: declared.map(parameter => parameter.name).sort() }).toEqual({
        path,
        method,
        declared: [...names].sort(),
      });
      for (const parameter of declared) {
        expect(parameter.required).toBe(true);
      }
    }
    expect(variables).toBeGreaterThanOrEqual(2);
    const id = (document.paths['/objects/{id}'] as Json).get.parameters.find(
      (parameter: Json) => parameter.in === 'path',
    );
    expect(id.schema).toEqual({ type: 'string', pattern: '^[1-9][0-9]{0,14}$' });
  });

  it("documents /search's query parameters with their constraints", () => {
    const parameters = (document.paths['/search'] as Json).get.parameters as Json[];
    const query = Object.fromEntries(
      parameters.filter(parameter => parameter.in === 'query').map(parameter => [parameter.name, parameter]),
    );
    expect(Object.keys(query).sort()).toEqual(['q', 'type']);
    expect(query.type).toMatchObject({
      required: true,
      schema: { type: 'string', enum: ['objects', 'notes', 'users', 'members'] },
    });
    expect(query.q).toMatchObject({ required: false, schema: { type: 'string', maxLength: 100 } });
  });

  // The client developer's complaint: a proxy validating against the document let through bodies that
  // the app refused. Each case is judged by the document's schema and by the app's own pipe.
  it('accepts and refuses the same bodies as the validation pipe', async () => {
    const body = (dto: Type, values: unknown[]): Promise<void> =>
      expectAgreement(schemaOf({ $ref: `#/components/schemas/${dto.name}` }), dto, 'body', values);
    await body(LoginDto, [
      { login_id: 'bob', password: 'secret' },
      { login_id: '', password: 'secret' },
      { login_id: 'b'.repeat(101), password: 'secret' },
      { login_id: 'bob' },
      { login_id: 7, password: 'secret' },
      { login_id: 'bob', password: 'secret', remember: true },
    ]);
    await body(CreateAccountDto, [
      { login_id: 'new.user', password: 'long enough pass', email: 'a@example.com' },
      { login_id: 'new.user', password: 'long enough pass', email: 'a@example.com', phone: '+441234' },
      { login_id: 'New User', password: 'long enough pass', email: 'a@example.com' },
      { login_id: 'nu', password: 'long enough pass', email: 'a@example.com' },
      { login_id: 'new.user', password: 'short', email: 'a@example.com' },
      { login_id: 'new.user', password: 'long enough pass', email: '' },
      { login_id: 'new.user', password: 'long enough pass', email: 'a@example.com', phone: '1'.repeat(33) },
    ]);
    await body(CreateObjectDto, [
      { type: 'note', name: 'n' },
      { type: 'note', name: 'n', shared: true },
      { type: 'folder', name: 'n' },
      { type: 'note', name: 'n', shared: 'yes' },
      { type: 'note', name: '' },
    ]);
    await body(RecoveryDto, [
      { login_id: 'bob', method: 'question' },
      { login_id: 'bob', method: 'question', control_answer: 'blue', new_password: 'long enough pass' },
      { login_id: 'bob', method: 'pigeon' },
      { login_id: 'bob', method: 'question', new_password: 'short' },
    ]);
    await body(PartnerReportDto, [
      { period: '2026-11', total: 0 },
      { period: '2026-13', total: 0 },
      { period: '2026-11', total: -1 },
      { period: '2026-11', total: 1.5 },
      { period: '2026-11' },
    ]);
    await body(MembershipDto, [
      { member_number: 'M-1001', surname: 'Smith', date_of_birth: '1990-04-01' },
      { member_number: 'M-10', surname: 'Smith', date_of_birth: '1990-04-01' },
      { member_number: 'M-1001', surname: 'Smith', date_of_birth: '01/04/1990' },
    ]);
  });

  it('accepts and refuses the same query and path parameters as the validation pipe', async () => {
    const search = schemaOf(parametersSchema((document.paths['/search'] as Json).get, 'query'));
    await expectAgreement(search, SearchQuery, 'query', [
      { type: 'objects' },
      { type: 'notes', q: 'shopping' },
      { type: 'files' },
      {},
      { type: 'objects', q: 'x'.repeat(101) },
    ]);
    const object = schemaOf(parametersSchema((document.paths['/objects/{id}'] as Json).delete, 'path'));
    await expectAgreement(object, ObjectIdParams, 'param', [
      { id: '1' },
      { id: '999999999999999' },
      { id: '0' },
      { id: 'abc' },
      { id: '1'.repeat(16) },
    ]);
  });
});

// What the sample app does not use yet but its DTOs may: formats, nested classes, arrays and renamed fields.
class AddressDto {
  @IsString() @Length(2, 40) city!: string;
  @IsOptional() @IsUUID('4') reference?: string;
}

class TagDto {
  @IsIn(['red', 'green']) colour!: string;
}

class ProfileDto {
  @Expose({ name: 'e_mail' }) @IsEmail() email!: string;
  @ValidateNested() @TransformTo(() => AddressDto) address!: AddressDto;
  @IsArray() @ArrayMaxSize(3) @ValidateNested({ each: true }) @TransformTo(() => TagDto) tags!: TagDto[];
  @IsOptional() @IsString({ each: true }) @MaxLength(5, { each: true }) labels?: string[];
  /** Renamed in responses only: requests send `level`, and validation errors are keyed `level`. */
  @Expose({ name: 'rank', toPlainOnly: true }) @IsInt() @Min(1) @Max(9) level!: number;
}

class ProfileParams {
  @IsUUID('4') profile_id!: string;
}

@Controller('profiles')
class ProfilesController {
  @Post(':profile_id')
  save(@Param() _params: ProfileParams, @Body() body: ProfileDto): ProfileDto {
    return body;
  }
}

@Module({ controllers: [ProfilesController] })
class ProfilesModule {}

describe('request schemas derived from class-validator metadata', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ imports: [ProfilesModule] }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    const classes = describeRequestClasses(app);
    document = await createApiErrorsDocument(app, new DocumentBuilder().setTitle('profiles').setVersion('1').build());
    closeRequestSchemas(document, classes);
    await app.close();
  });

  it('names fields as clients send them and carries formats, nesting and arrays', async () => {
    const schemas = document.components?.schemas as Json;
    expect(schemas.ProfileDto.required.sort()).toEqual(['address', 'e_mail', 'level', 'tags']);
    expect(Object.keys(schemas.ProfileDto.properties).sort()).toEqual(['address', 'e_mail', 'labels', 'level', 'tags']);
    expect(schemas.ProfileDto.properties.e_mail).toEqual({ type: 'string', format: 'email' });
    expect(schemas.AddressDto.properties.reference).toEqual({ type: 'string', format: 'uuid' });
    expect(schemas.AddressDto.additionalProperties).toBe(false);
    expect(schemas.TagDto.properties.colour.enum).toEqual(['red', 'green']);
    const result = await new Validator().validate(structuredClone(document) as unknown as Json);
    expect(result.errors ?? []).toEqual([]);
  });

  it('accepts and refuses the same bodies and parameters as the validation pipe', async () => {
    const schemaOf = schemaValidator(document);
    const valid = {
      e_mail: 'a@example.com',
      address: { city: 'Leeds', reference: '3b241101-e2bb-4255-8caf-4136c566a962' },
      tags: [{ colour: 'red' }],
      labels: ['ab'],
      level: 3,
    };
    await expectAgreement(schemaOf({ $ref: '#/components/schemas/ProfileDto' }), ProfileDto, 'body', [
      valid,
      { ...valid, e_mail: 'not an email' },
      { email: 'a@example.com', address: valid.address, tags: valid.tags, level: 3 },
      { ...valid, address: { city: 'L' } },
      { ...valid, address: { city: 'Leeds', reference: 'not-a-uuid' } },
      { ...valid, address: { city: 'Leeds', street: 'extra' } },
      { ...valid, tags: [{ colour: 'blue' }] },
      { ...valid, tags: [{ colour: 'red' }, { colour: 'red' }, { colour: 'red' }, { colour: 'red' }] },
      { ...valid, labels: ['toolong'] },
      { ...valid, level: 10 },
    ]);
    const operation = (document.paths['/profiles/{profile_id}'] as Json).post;
    await expectAgreement(schemaOf(parametersSchema(operation, 'path')), ProfileParams, 'param', [
      { profile_id: '3b241101-e2bb-4255-8caf-4136c566a962' },
      { profile_id: '42' },
    ]);
  });
});
