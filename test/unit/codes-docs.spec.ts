// docs/codes.md is generated from the catalogue (`npm run docs:codes`): rendered again here from lib/, it
// must equal the committed page, so that a code, a message or a client action changed without the page
// fails this test.
import 'reflect-metadata';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import * as api from 'nestjs-api-errors';
import { API_ERROR_CATALOGUE, apiErrorBodySchema, isApiErrorBody, type ApiErrorCode } from 'nestjs-api-errors';
import { CLIENT_ACTIONS } from '../../lib/catalogue/client-actions.js';
import { sampleOpenApiDocument } from '../support/sample-openapi.js';
import {
  anchorOf,
  exampleBody,
  prose,
  renderCodesPage,
  sampleRoutesByCode,
  THROW_ARGUMENTS,
} from '../../scripts/docs-codes.mjs';

const page = readFileSync(new URL('../../docs/codes.md', import.meta.url), 'utf8');
const codes = Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[];
const validate = new Ajv({ strict: true, allErrors: true }).compile(apiErrorBodySchema);

/** The text of a code's section: from its heading to the next one. */
function sectionOf(code: string): string {
  const start = page.indexOf(`\n## \`${code}\`\n`);
  const end = page.indexOf('\n## ', start + 1);
  return start === -1 ? '' : page.slice(start, end === -1 ? undefined : end);
}

describe('docs/codes.md', () => {
  let document: object;
  beforeAll(async () => {
    // built as `npm run docs:codes` builds it: no environment, an in-memory database
    document = await sampleOpenApiDocument();
  });

  it('is what `npm run docs:codes` makes of the catalogue and the sample app (run it when this fails)', () => {
    expect(page).toBe(renderCodesPage(API_ERROR_CATALOGUE, CLIENT_ACTIONS, document));
  });

  it.each(codes)('has a section for %s with its status, class, message and client action', code => {
    const { status, exception, message } = API_ERROR_CATALOGUE[code];
    const text = sectionOf(code);
    expect(text).toContain(`**HTTP status:** ${status} `);
    expect(text).toContain(`\`throw new ${exception}(`);
    expect(text).toContain(`> ${prose(message)}\n`);
    expect(text).toContain(`**What the client should do:** ${CLIENT_ACTIONS[code]}\n`);
    for (const name of Object.keys((API_ERROR_CATALOGUE[code] as { fields?: object }).fields ?? {})) {
      expect(text).toContain(`| \`${name}\` |`);
    }
  });

  it('links each code of its index to the section’s anchor, as GitHub makes it (dots dropped)', () => {
    expect(anchorOf('auth.apikey.missing')).toBe('authapikeymissing');
    expect(anchorOf('`request.rate.exceeded`')).toBe('requestrateexceeded');
    const anchors = codes.map(anchorOf);
    expect(new Set(anchors).size).toBe(codes.length);
    for (const code of codes) {
      expect(page).toContain(`| [\`${code}\`](#${anchorOf(code)}) |`);
    }
  });

  it.each(codes)('shows for %s an example body the package’s schema and isApiErrorBody accept', code => {
    const body = exampleBody(code, API_ERROR_CATALOGUE[code]);
    expect([validate(body), validate.errors]).toEqual([true, null]);
    expect(isApiErrorBody(body)).toBe(true);
  });

  it.each(codes)('shows for %s a throw statement that makes an exception of that code', code => {
    const { exception, status } = API_ERROR_CATALOGUE[code];
    const args = THROW_ARGUMENTS[code] ?? [];
    const Exception = (api as unknown as Record<string, new (...args: unknown[]) => api.ApiException>)[exception];
    expect(typeof Exception).toBe('function');
    const thrown = new (Exception as new (...args: unknown[]) => api.ApiException)(...args);
    expect(thrown.code).toBe(code);
    expect(thrown.getStatus()).toBe(code === 'request.failed' ? args[0] : status);
  });
});

describe('client actions', () => {
  it('name exactly the catalogue’s codes, each with one sentence', () => {
    expect(Object.keys(CLIENT_ACTIONS).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      expect([code, /^[A-Z`].*\.$/.test(CLIENT_ACTIONS[code])]).toEqual([code, true]);
    }
  });

  it('stop the page’s generation when a code has none', () => {
    const { 'object.id.notfound': _dropped, ...rest } = CLIENT_ACTIONS;
    expect(() => renderCodesPage(API_ERROR_CATALOGUE, rest, { paths: {} })).toThrow(
      'no client action for object.id.notfound',
    );
  });
});

describe('the sample app’s routes per code', () => {
  const errorResponse = (...codes: string[]): object => ({
    content: {
      'application/json': {
        examples: Object.fromEntries(codes.map(code => [code, { value: { status: 'error', error_code: code } }])),
      },
    },
  });

  it('are read from the examples of each operation’s error responses', () => {
    const { routeCount, byCode } = sampleRoutesByCode({
      paths: {
        '/me': {
          get: { responses: { 200: errorResponse('not.an.error'), 401: errorResponse('auth.apikey.missing') } },
          parameters: [],
        },
        '/notes/{id}': {
          get: { responses: { 404: errorResponse('object.id.notfound', 'auth.apikey.missing') } },
          delete: {
            responses: { 404: { content: { 'application/json': { example: { error_code: 'object.id.notfound' } } } } },
          },
        },
      },
    });
    expect(routeCount).toBe(3);
    expect(Object.fromEntries(byCode)).toEqual({
      'auth.apikey.missing': ['GET /me', 'GET /notes/{id}'],
      'object.id.notfound': ['GET /notes/{id}', 'DELETE /notes/{id}'],
    });
  });
});

/** Type-level check: `npm run typecheck` compiles this, and the `@ts-expect-error` must meet an error. Never called. */
export function typeChecks(): void {
  // @ts-expect-error every code of the catalogue needs its client action
  const partial: typeof CLIENT_ACTIONS = { 'auth.apikey.missing': 'Send the key.' };
  void partial;
}
