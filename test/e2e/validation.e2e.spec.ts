import { Body, ConflictException, Controller, Post, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { Expose } from 'class-transformer';
import { IsEmail, IsInt, IsString, Length, Min } from 'class-validator';
import { ApiErrorsModule, createValidationPipe } from 'nestjs-api-errors';
import {
  ADAPTERS,
  NEST_VALIDATION_PIPE_GROUPS,
  startApp,
  startFixture,
  type AdapterName,
  type RunningApp,
} from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send, type RawResponse } from '../support/http-client.js';

const VALIDATION = 'request.validation.failed';
const post = (running: RunningApp, path: string, body: unknown): Promise<RawResponse> =>
  send(running.baseUrl, path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

class SignUpDto {
  @Expose({ name: 'display_name' })
  @IsString()
  @Length(2, 20)
  displayName!: string;

  @IsEmail({}, { groups: ['strict'] })
  @IsString({ always: true })
  email!: string;

  @IsInt()
  @Min(18)
  age!: number;
}

@Controller('sign-up')
class SignUpController {
  @Post()
  signUp(@Body() body: SignUpDto): { name: string; constructor: string } {
    return {
      name: body.displayName ?? (body as unknown as Record<string, string>).display_name,
      constructor: body.constructor.name,
    };
  }
}

async function withPipe(adapter: AdapterName, pipe: ValidationPipe): Promise<RunningApp> {
  return startApp(adapter, { imports: [ApiErrorsModule.forRoot()], controllers: [SignUpController] }, app =>
    app.useGlobalPipes(pipe),
  );
}

describe.each(ADAPTERS)('validation on %s', adapter => {
  let running: RunningApp;
  const extra: RunningApp[] = [];
  const start = async (options: ValidationPipeOptions, nest = false): Promise<RunningApp> => {
    const app = await withPipe(adapter, nest ? new ValidationPipe(options) : createValidationPipe(options));
    extra.push(app);
    return app;
  };

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(async () => {
    await running.close();
    await Promise.all(extra.map(app => app.close()));
  });

  it('keys every message of every field by the JSON names, nested and in arrays, without echoing values', async () => {
    const res = await post(running, '/validation/users', {
      first_name: 'zz-secret-value-1'.repeat(4),
      email: 'zz-secret-value-2',
      age: 12,
      address: { city: 7, postal_code: 75001 },
      items: [
        { sku: 'ab', quantity: 1 },
        { sku: 'abcd', quantity: 0 },
      ],
      tags: ['ok', 3],
    });
    expectError(res, VALIDATION, {
      messages: {
        first_name: ['first_name must be shorter than or equal to 40 characters'],
        email: ['email must be an email'],
        age: ['age must not be less than 18'],
        'address.city': [
          'city must be longer than or equal to 2 and shorter than or equal to 50 characters',
          'city must be a string',
        ],
        'address.postal_code': ['postal_code must be a string'],
        'items.0.sku': ['sku must be longer than or equal to 3 characters'],
        'items.1.quantity': ['quantity must not be less than 1'],
        tags: ['each value in tags must be a string'],
      },
    });
    expect(res.text).not.toContain('zz-secret-value');
  });

  it('keys an unknown property (forbidNonWhitelisted) by its name', async () => {
    const res = await post(running, '/validation/users', {
      first_name: 'Ada',
      email: 'ada@example.com',
      address: { city: 'Paris', postal_code: '75001' },
      role: 'admin',
    });
    expectError(res, VALIDATION, { messages: { role: ['property role should not exist'] } });
  });

  it('keys query failures by the query parameter names, exposed ones included', async () => {
    const res = await send(running.baseUrl, '/validation/search?limit=0&sort_by=x');
    expectError(res, VALIDATION, {
      messages: {
        limit: ['limit must not be less than 1'],
        sort_by: ['sort_by must be longer than or equal to 2 characters'],
      },
    });
  });

  it('keys path parameter failures by the parameter name', async () => {
    const res = await send(running.baseUrl, '/validation/items/not-a-uuid');
    expectError(res, VALIDATION, { messages: { id: ['id must be a UUID'] } });
  });

  it.each([
    ['a JSON array', []],
    ['a JSON string', 'hello'],
  ])('answers a list for %s where an object is expected', async (_name, body) => {
    const res = await post(running, '/validation/users', body);
    expect(res.status).toBe(422);
    expect(res.json.error_code).toBe(VALIDATION);
    expect(Array.isArray(res.json.messages) || typeof res.json.messages === 'object').toBe(true);
  });

  it('passes a valid body, transformed, with the success envelope', async () => {
    const res = await post(running, '/validation/users', {
      first_name: 'Ada',
      email: 'ada@example.com',
      address: { city: 'Paris', postal_code: '75001' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      status: 'success',
      firstName: 'Ada',
      email: 'ada@example.com',
      address: { city: 'Paris', postalCode: '75001' },
    });
  });

  it('disableErrorMessages sends the default message only', async () => {
    const app = await start({ disableErrorMessages: true });
    const res = await post(app, '/sign-up', { display_name: 'x', email: 'nope', age: 1 });
    expectError(res, VALIDATION, {
      messages: ['Request data either is invalid JSON or failed field value validation.'],
    });
  });

  it('errorHttpStatusCode changes the status, not the code', async () => {
    const app = await start({ errorHttpStatusCode: 400 });
    const res = await post(app, '/sign-up', { display_name: 'Ada', email: 'ada@example.com', age: 1 });
    expectError(res, VALIDATION, { status: 400, messages: { age: ['age must not be less than 18'] } });
  });

  it('a custom exceptionFactory replaces ours; what it throws is mapped like any exception', async () => {
    const app = await start({ exceptionFactory: () => new ConflictException('custom') });
    const res = await post(app, '/sign-up', { display_name: 'Ada', email: 'ada@example.com', age: 1 });
    expectError(res, 'request.failed', { status: 409, messages: ['custom'] });
  });

  it('maxErrorMessagesLength cuts like Nest, with a "..." key', async () => {
    const app = await start({ maxErrorMessagesLength: 40 });
    const res = await post(app, '/sign-up', { display_name: 'x', email: 5, age: 1 });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.messages).at(-1)).toBe('...');
    expect(res.json.messages['...']).toEqual(['Further validation errors were omitted']);
  });

  it('groups select the rules that run', async () => {
    const lenient = await start({ groups: ['lenient'] });
    expect((await post(lenient, '/sign-up', { display_name: 'Ada', email: 'nope', age: 30 })).status).toBe(201);
    const strict = await start({ groups: ['strict'] });
    const res = await post(strict, '/sign-up', { display_name: 'Ada', email: 'nope', age: 30 });
    expectError(res, VALIDATION, { messages: { email: ['email must be an email'] } });
  });

  it('transform: true hands the handler the class with its property names', async () => {
    const app = await start({ transform: true });
    const res = await post(app, '/sign-up', { display_name: 'Ada', email: 'ada@example.com', age: 30 });
    expect(res.json).toEqual({ status: 'success', name: 'Ada', constructor: 'SignUpDto' });
  });

  it('Nest’s own ValidationPipe becomes request.validation.failed with its list of messages', async () => {
    const app = await start({}, true);
    const res = await post(app, '/sign-up', { display_name: 'Ada', email: 'ada@example.com', age: 1 });
    expectError(res, VALIDATION, { messages: ['age must not be less than 18'] });
  });

  it('Nest’s ValidationPipe with errorFormat "grouped" keeps its fields (Nest 12; Nest 11 has no such option)', async () => {
    const app = await start({ errorFormat: 'grouped' } as ValidationPipeOptions, true);
    const res = await post(app, '/sign-up', { display_name: 'Ada', email: 'ada@example.com', age: 1 });
    const grouped = NEST_VALIDATION_PIPE_GROUPS;
    expectError(res, VALIDATION, {
      messages: grouped ? { age: ['age must not be less than 18'] } : ['age must not be less than 18'],
    });
  });
});
