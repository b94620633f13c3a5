import type { HttpAdapterHost } from '@nestjs/core';
import { Ajv } from 'ajv';
import {
  apiErrorBodySchema,
  problemDetailsSchema,
  ApiErrorRegistry,
  ApiErrorsConfigurationError,
  ApiErrorsFilter,
  ObjectIdNotFoundException,
  type ApiErrorsFilterOptions,
} from 'nestjs-api-errors';
import { httpArgumentsHost } from '../../lib/filter/error-response.js';

// The filter reads `problemDetails` with its other options: the module's settings as Nest injects them,
// or the option as written to a filter built by hand (`app.useGlobalFilters(new ApiErrorsFilter(…))`).

const ajv = new Ajv({ allErrors: true, strict: true });
const validProblem = ajv.compile(problemDetailsSchema);
const validEnvelope = ajv.compile(apiErrorBodySchema);

/** An adapter that records what the filter writes. */
function recordingAdapter() {
  const written = { headers: {} as Record<string, string>, body: '', status: 0 };
  const adapter = {
    getType: () => 'express',
    isHeadersSent: () => false,
    setHeader: (_response: unknown, name: string, value: string) => void (written.headers[name.toLowerCase()] = value),
    reply: (_response: unknown, body: string, status: number) => {
      written.body = body;
      written.status = status;
    },
    getRequestMethod: () => 'GET',
    getRequestUrl: () => '/objects/1?token=secret-query-value',
  };
  return { adapter, written };
}

function answer(options: object, accept: string) {
  const { adapter, written } = recordingAdapter();
  const filter = new ApiErrorsFilter(
    { clientErrorLogLevel: false, ...options } as ApiErrorsFilterOptions,
    { httpAdapter: adapter } as unknown as HttpAdapterHost,
    new ApiErrorRegistry(),
  );
  const request = { method: 'GET', url: '/objects/1?token=secret-query-value', headers: { accept } };
  filter.catch(new ObjectIdNotFoundException(), httpArgumentsHost(request, { req: request }));
  const body = JSON.parse(written.body) as Record<string, unknown>;
  // every body against the package's own schema of its media type
  const valid = written.headers['content-type']?.startsWith('application/problem+json') ? validProblem : validEnvelope;
  expect(valid(body)).toBe(true);
  return { written, body };
}

describe('ApiErrorsFilter built by hand, problemDetails', () => {
  it('answers RFC 9457 to a client that asks for it, with the type of the template given', () => {
    const { written, body } = answer(
      { problemDetails: { type: 'https://api.example.com/errors/{code}' } },
      'application/problem+json',
    );
    expect(written.status).toBe(404);
    expect(written.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body).toMatchObject({
      type: 'https://api.example.com/errors/object.id.notfound',
      status: 404,
      instance: '/objects/1',
      error_code: 'object.id.notfound',
      error_id: written.headers['x-error-id'],
    });
    expect(written.body).not.toContain('secret-query-value');
  });

  it('takes the settings the module resolved (what Nest injects) as they are', () => {
    const typeOf = (code: string): string => `https://docs.example.com/${code}`;
    const { body } = answer({ problemDetails: { typeOf } }, 'application/problem+json');
    expect(body.type).toBe('https://docs.example.com/object.id.notfound');
  });

  it('sends the envelope to a client that does not ask, and with the option off', () => {
    expect(answer({ problemDetails: true }, 'application/json').body.status).toBe('error');
    expect(answer({}, 'application/problem+json').body.status).toBe('error');
    expect(answer({ problemDetails: false }, 'application/problem+json').body.status).toBe('error');
  });

  it('refuses an option that is not one, when the filter is built', () => {
    expect(() => answer({ problemDetails: 'yes' }, 'application/problem+json')).toThrow(ApiErrorsConfigurationError);
    expect(() => answer({ problemDetails: { type: 'no-placeholder' } }, 'application/problem+json')).toThrow(
      ApiErrorsConfigurationError,
    );
  });
});
