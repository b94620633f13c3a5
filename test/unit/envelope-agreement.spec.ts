// The four descriptions of the error body come from one declaration (the catalogue's `fields`): the
// JSON Schema, the OpenAPI schema, `isApiErrorBody` and the TypeScript type. They agree on every code.
import { Ajv } from 'ajv';
import {
  API_ERROR_CATALOGUE,
  ApiErrorsConfigurationError,
  apiErrorBodyOpenApiSchema,
  apiErrorBodySchema,
  defineApiErrors,
  isApiErrorBody,
  type ApiErrorBody,
  type ApiErrorBodyOf,
  type ApiErrorCode,
  type ApiErrorFieldSpec,
} from 'nestjs-api-errors';

const codes = Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[];
const fieldsOf = (code: ApiErrorCode): Record<string, ApiErrorFieldSpec> =>
  (API_ERROR_CATALOGUE[code] as { fields?: Record<string, ApiErrorFieldSpec> }).fields ?? {};
/** Every declared field of the catalogue, with the codes that declare it. */
const declared = new Map<string, { spec: ApiErrorFieldSpec; codes: ApiErrorCode[] }>();
for (const code of codes) {
  for (const [name, spec] of Object.entries(fieldsOf(code))) {
    declared.set(name, { spec, codes: [...(declared.get(name)?.codes ?? []), code] });
  }
}

const jsonSchema = new Ajv({ strict: true, allErrors: true }).compile(apiErrorBodySchema);
// OpenAPI 3.0 adds `example`; its rules say "not required" in an `anyOf`, which strictRequired would flag.
const openApiAjv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
openApiAjv.addKeyword('example');
const openApiSchema = openApiAjv.compile(apiErrorBodyOpenApiSchema);
const judges: [string, (body: unknown) => boolean][] = [
  ['the JSON Schema', body => jsonSchema(body)],
  ['the OpenAPI schema', body => openApiSchema(body)],
  ['isApiErrorBody', body => isApiErrorBody(body)],
];

function wellFormed(code: ApiErrorCode): Record<string, unknown> {
  const extra = Object.fromEntries(Object.entries(fieldsOf(code)).map(([name, spec]) => [name, spec.example]));
  return {
    status: 'error',
    error_code: code,
    error_id: 'id-1',
    messages: [API_ERROR_CATALOGUE[code].message],
    ...extra,
  };
}

/** Values of the wrong type or out of range for a declaration. */
function wrongValues(spec: ApiErrorFieldSpec): unknown[] {
  switch (spec.type) {
    case 'string':
      return [42, null, ['x'], ...(spec.enum === undefined ? [] : ['not-one-of-them'])];
    case 'integer':
    case 'number':
      return [
        String(spec.example),
        null,
        true,
        ...(spec.type === 'integer' ? [1.5] : []),
        ...(spec.minimum === undefined ? [] : [spec.minimum - 1]),
      ];
    case 'boolean':
      return ['true', 1, null];
  }
}

type Case = [description: string, body: unknown, expected: boolean];

function casesOf(code: ApiErrorCode): Case[] {
  const good = wellFormed(code);
  const without = (name: string): Record<string, unknown> => {
    const { [name]: _dropped, ...rest } = good;
    return rest;
  };
  const cases: Case[] = [
    ['well-formed, with its declared fields', good, true],
    ['with messages by field', { ...good, messages: { email: ['bad'] } }, true],
    ['with a field no code declares', { ...good, memorable_positions: [1, 4] }, true],
  ];
  for (const name of ['status', 'error_code', 'error_id', 'messages']) {
    cases.push([`missing ${name}`, without(name), false]);
  }
  cases.push(
    ['with status success', { ...good, status: 'success' }, false],
    ['with a numeric error_code', { ...good, error_code: 42 }, false],
    ['with a malformed error_code', { ...good, error_code: 'Not A Code' }, false],
    ['with a numeric error_id', { ...good, error_id: 42 }, false],
    ['with an empty error_id', { ...good, error_id: '' }, false],
    ['with a string as messages', { ...good, messages: 'x' }, false],
    ['with an empty messages list', { ...good, messages: [] }, false],
  );
  for (const [name, spec] of Object.entries(fieldsOf(code))) {
    cases.push([`without ${name}`, without(name), spec.required !== true]);
    for (const value of wrongValues(spec)) {
      cases.push([`with ${name}: ${JSON.stringify(value)}`, { ...good, [name]: value }, false]);
    }
  }
  for (const [name, { spec, codes: owners }] of declared) {
    if (!owners.includes(code)) {
      cases.push([`with ${name}, which only ${owners.join(', ')} carry`, { ...good, [name]: spec.example }, false]);
    }
  }
  return cases;
}

describe('the envelope’s descriptions agree', () => {
  it('the catalogue declares critical_auth_method and retry_after, each on its code', () => {
    expect([...declared].map(([name, { codes: owners }]) => [name, owners])).toEqual([
      ['critical_auth_method', ['critical.auth.required']],
      ['retry_after', ['request.rate.exceeded']],
    ]);
  });

  describe.each(codes)('%s', code => {
    it.each(casesOf(code))('%s: %s', (_description, body, expected) => {
      for (const [judge, accepts] of judges) {
        expect([judge, accepts(body)]).toEqual([judge, expected]);
      }
    });
  });

  it.each([null, 'error', 42, [wellFormed('auth.apikey.missing')]])('all refuse %p', body => {
    for (const [judge, accepts] of judges) {
      expect([judge, accepts(body)]).toEqual([judge, false]);
    }
  });

  it('all accept an application’s code in the envelope’s form', () => {
    const body = { status: 'error', error_code: 'billing.card.declined', error_id: 'id-1', messages: ['Declined.'] };
    for (const [judge, accepts] of judges) {
      expect([judge, accepts(body)]).toEqual([judge, true]);
    }
  });
});

describe('defineApiErrors fields', () => {
  const decline = {
    type: 'string',
    required: true,
    description: 'The bank’s reason.',
    example: 'insufficient_funds',
  } as const;

  it('are kept on the entry', () => {
    const billing = defineApiErrors({
      'billing.card.declined': { status: 402, message: 'Declined.', fields: { decline_code: decline } },
    } as const);
    expect(billing.get('billing.card.declined').fields).toEqual({ decline_code: decline });
  });

  it.each([
    ['an envelope field', { error_id: decline }, 'the envelope owns'],
    ['a name not in snake_case', { declineCode: decline }, 'snake_case'],
    ['an unknown type', { decline_code: { ...decline, type: 'date' } }, 'no known type'],
    ['an example of the wrong type', { decline_code: { ...decline, example: 3 } }, 'example'],
    ['a built-in field declared otherwise', { retry_after: { ...decline } }, 'declared otherwise'],
  ])('refuse %s, saying how to fix it', (_name, fields, message) => {
    const define = (): unknown =>
      defineApiErrors({ 'billing.card.declined': { status: 402, message: 'Declined.', fields: fields as never } });
    expect(define).toThrow(ApiErrorsConfigurationError);
    expect(define).toThrow(message);
  });
});

/**
 * Type-level checks: `npm run typecheck` compiles this file, and each `@ts-expect-error` must meet an
 * error. Never called.
 */
export function typeChecks(value: unknown): void {
  if (isApiErrorBody(value) && value.error_code === 'auth.token.expired') {
    const id: string = value.error_id;
    void id;
  }
  // @ts-expect-error a misspelt code in the comparison does not compile
  if (isApiErrorBody(value) && value.error_code === 'auth.tokn.expired') {
    return;
  }
  if (isApiErrorBody(value) && value.error_code === 'critical.auth.required') {
    const method: 'password' | 'otp' = value.critical_auth_method;
    void method;
  }
  if (isApiErrorBody(value) && value.error_code === 'request.rate.exceeded') {
    const wait: number | undefined = value.retry_after;
    // @ts-expect-error retry_after may be absent
    const always: number = value.retry_after;
    void [wait, always];
  }
  if (isApiErrorBody<'billing.card.declined'>(value) && value.error_code === 'billing.card.declined') {
    return;
  }
  const envelope = { status: 'error', error_id: 'id-1', messages: ['m'] } as const satisfies Partial<ApiErrorBody>;
  const critical: ApiErrorBody<'critical.auth.required'> = {
    ...envelope,
    error_code: 'critical.auth.required',
    messages: ['m'],
    critical_auth_method: 'otp',
  };
  // @ts-expect-error critical.auth.required needs critical_auth_method
  const missing: ApiErrorBody<'critical.auth.required'> = {
    ...envelope,
    error_code: 'critical.auth.required',
    messages: ['m'],
  };
  const badMethod: ApiErrorBody<'critical.auth.required'> = {
    ...envelope,
    error_code: 'critical.auth.required',
    messages: ['m'],
    // @ts-expect-error critical_auth_method is password or otp
    critical_auth_method: 'sms',
  };
  const badWait: ApiErrorBody<'request.rate.exceeded'> = {
    ...envelope,
    error_code: 'request.rate.exceeded',
    messages: ['m'],
    // @ts-expect-error retry_after is a number
    retry_after: '30',
  };
  // @ts-expect-error a code outside the catalogue is not an ApiErrorCode
  const unknownCode: ApiErrorBody = { ...envelope, error_code: 'no.such.code', messages: ['m'] };

  const billing = defineApiErrors({
    'billing.card.declined': {
      status: 402,
      message: 'Declined.',
      fields: {
        decline_code: { type: 'string', required: true, description: 'Why.', example: 'insufficient_funds' },
        attempts: { type: 'integer', description: 'Tries so far.', example: 1 },
      },
    },
  });
  type BillingBody = ApiErrorBodyOf<typeof billing>;
  const declined: BillingBody = {
    ...envelope,
    error_code: 'billing.card.declined',
    messages: ['m'],
    decline_code: 'insufficient_funds',
  };
  // @ts-expect-error decline_code is required
  const noReason: BillingBody = { ...envelope, error_code: 'billing.card.declined', messages: ['m'] };
  void [critical, missing, badMethod, badWait, unknownCode, billing, declined, noReason];
}
