// Writes docs/codes.md, the reference page of every built-in error code, from the built package's
// catalogue and client actions (`npm run docs:codes` builds first). The page is generated so that it
// cannot drift from the catalogue: test/unit/codes-docs.spec.ts renders it again from lib/ and fails
// when the committed page differs.
import { writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A sentence more than the catalogue's message, where the message alone leaves a question open. */
export const MORE = {
  'auth.header.invalid': 'The scheme is `Bearer` for an authentication token, `Signature` for a signed request.',
  'auth.token.expired': 'The token was valid once; a refreshed token is accepted.',
  'auth.signature.expired': 'A signature carries the time it was made and is accepted only for a short while after it.',
  'critical.auth.required':
    'With `"otp"`, an SMS with a one-time password has just been sent to the user; with `"password"`, nothing is sent.',
  'request.validation.failed':
    '`messages` is keyed by the JSON name of each field that failed (dotted when nested, e.g. `address.postal_code`).',
  'request.route.notfound': 'Sent for any request no route matches, instead of the framework’s own 404 body.',
  'request.body.toolarge': 'The body parser refused the body before any handler ran.',
  'request.rate.exceeded': '`retry_after`, when present, is also sent as the `Retry-After` header.',
  'request.failed':
    'A client error no other code describes; it keeps the 4xx status of the failure (400 unless the thrower says otherwise).',
  'server.unavailable':
    'A dependency the request needs (the store, a token or captcha verifier) could not be reached; the guards fail closed.',
  'server.internal.error':
    'The body says nothing of the fault: the server’s log line with the same `error_id` has the details.',
};

/** The arguments a class needs beyond none: the classes whose constructor takes the code's data first. */
export const THROW_ARGUMENTS = {
  'critical.auth.required': ['otp'],
  'request.rate.exceeded': [30],
  'request.failed': [409],
};

/** The `error_id` of the examples: any unique, unguessable string (a UUID by default). */
const EXAMPLE_ERROR_ID = '3f1c9c3e-8a4b-4f0e-9a57-2d1b6c0e7d21';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The sample app's routes that can answer each code, read from its OpenAPI document: every error
 * response lists its codes as examples (`examples.<name>.value.error_code`). Code → `METHOD /path` list.
 */
export function sampleRoutesByCode(document) {
  const byCode = new Map();
  for (const [path, byMethod] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS.filter(name => byMethod[name] !== undefined)) {
      const route = `${method.toUpperCase()} ${path}`;
      for (const [status, response] of Object.entries(byMethod[method].responses ?? {})) {
        const content = Number(status) >= 400 ? response.content?.['application/json'] : undefined;
        const bodies = [content?.example, ...Object.values(content?.examples ?? {}).map(example => example.value)];
        for (const code of bodies.map(body => body?.error_code).filter(code => typeof code === 'string')) {
          const routes = byCode.get(code) ?? new Set();
          byCode.set(code, routes.add(route));
        }
      }
    }
  }
  const routeCount = Object.values(document.paths ?? {}).reduce(
    (count, byMethod) => count + METHODS.filter(name => byMethod[name] !== undefined).length,
    0,
  );
  return { routeCount, byCode: new Map([...byCode].map(([code, routes]) => [code, [...routes]])) };
}

function routesLine(code, sampleRoutes) {
  const routes = sampleRoutes.byCode.get(code) ?? [];
  const list =
    routes.length === 0
      ? 'none of them lists it.'
      : routes.length === sampleRoutes.routeCount
        ? `all ${routes.length}.`
        : `${routes.map(route => `\`${route}\``).join(', ')}.`;
  return `**Sample app routes that can answer it** (of ${sampleRoutes.routeCount}, from its OpenAPI document): ${list}`;
}

/** The anchor GitHub makes of a heading: lower case, punctuation (the dots) dropped, spaces as hyphens. */
export function anchorOf(code) {
  return code
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The body a client receives for the code, with its declared fields' example values. */
export function exampleBody(code, definition) {
  const messages = code === 'request.validation.failed' ? { email: ['email must be an email'] } : [definition.message];
  const fields = Object.fromEntries(
    Object.entries(definition.fields ?? {}).map(([name, spec]) => [name, spec.example]),
  );
  return { status: 'error', error_code: code, error_id: EXAMPLE_ERROR_ID, messages, ...fields };
}

/** Text as Markdown shows it: a `<` outside code would open an HTML tag, which GitHub drops. */
export function prose(text) {
  return text.replace(/</g, '\\<');
}

function literal(value) {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function fieldType(spec) {
  if (spec.type === 'string' && spec.enum !== undefined) {
    return spec.enum.map(value => `\`"${value}"\``).join(' or ');
  }
  return spec.minimum === undefined ? spec.type : `${spec.type} ≥ ${spec.minimum}`;
}

function fieldsTable(fields) {
  const entries = Object.entries(fields ?? {});
  if (entries.length === 0) {
    return ['**Extra body fields:** none; the body is the envelope’s four fields.'];
  }
  return [
    '**Extra body fields:**',
    '',
    '| field | type | required | meaning |',
    '| --- | --- | --- | --- |',
    ...entries.map(
      ([name, spec]) =>
        `| \`${name}\` | ${fieldType(spec)} | ${spec.required === true ? 'yes' : 'no'} | ${spec.description} |`,
    ),
  ];
}

function section(code, definition, clientAction, sampleRoutes) {
  const status = `${definition.status} ${STATUS_CODES[definition.status] ?? ''}`.trim();
  const origin = definition.origin === 'seed' ? 'the API contract' : 'an extension of the contract';
  const args = (THROW_ARGUMENTS[code] ?? []).map(literal).join(', ');
  return [
    `## \`${code}\``,
    '',
    `**HTTP status:** ${status} · **From:** ${origin}`,
    '',
    `> ${prose(definition.message)}`,
    '',
    ...(MORE[code] === undefined ? [] : [MORE[code], '']),
    `**What the client should do:** ${clientAction}`,
    '',
    `**Thrown with:** \`throw new ${definition.exception}(${args});\``,
    '',
    ...fieldsTable(definition.fields),
    '',
    routesLine(code, sampleRoutes),
    '',
    '**Example body:**',
    '',
    '```json',
    JSON.stringify(exampleBody(code, definition), null, 2),
    '```',
    '',
  ];
}

/**
 * The page's text. `catalogue` is the built-in catalogue (code → definition), `clientActions` one
 * sentence per code (a code without its sentence stops the generation), `sampleDocument` the sample
 * app's OpenAPI document.
 */
export function renderCodesPage(catalogue, clientActions, sampleDocument) {
  const sampleRoutes = sampleRoutesByCode(sampleDocument);
  const codes = Object.keys(catalogue);
  const missing = codes.filter(code => typeof clientActions[code] !== 'string');
  if (missing.length > 0) {
    throw new Error(`no client action for ${missing.join(', ')}: add it to lib/catalogue/client-actions.ts`);
  }
  const lines = [
    '<!-- Generated by `npm run docs:codes` from lib/catalogue/: edit the catalogue, not this page. -->',
    '',
    '# Error codes',
    '',
    'Every error response of the API has the same body: `status` (always `"error"`), `error_code` (one of the',
    'codes below), `error_id` (unique to the response, also in the `X-Error-Id` header and in the server’s log',
    'line) and `messages` (sentences, or sentences keyed by request field). A few codes add fields of their own,',
    'listed in their section. Clients should branch on `error_code`, never on the messages, which may change.',
    'An API that sets the `docUrl` option also sends `doc_url`, the address of the code’s page, in every body.',
    '',
    '| code | status | what the client should do |',
    '| --- | --- | --- |',
    ...codes.map(code => `| [\`${code}\`](#${anchorOf(code)}) | ${catalogue[code].status} | ${clientActions[code]} |`),
    '',
  ];
  for (const code of codes) {
    lines.push(...section(code, catalogue[code], clientActions[code], sampleRoutes));
  }
  return lines.join('\n');
}

/**
 * The sample app's OpenAPI document, built from dist/ with the configuration test/unit/codes-docs.spec.ts
 * uses (none from the environment, an in-memory database), so that both see the same routes.
 */
export async function sampleOpenApiDocument(root) {
  await import('reflect-metadata');
  const load = path => import(pathToFileURL(join(root, 'dist', path)).href);
  const { createSampleApp, openApiDocument } = await load('sample-app/app.factory.js');
  const { sampleConfigFromEnv } = await load('sample-app/config.js');
  const config = { ...sampleConfigFromEnv({}), database: ':memory:', dataDir: null, redisUrl: undefined };
  const app = await createSampleApp(config, { logger: false });
  try {
    await app.init();
    return await openApiDocument(app);
  } finally {
    await app.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { API_ERROR_CATALOGUE } = await import(pathToFileURL(join(root, 'dist/lib/index.js')).href);
  const { CLIENT_ACTIONS } = await import(pathToFileURL(join(root, 'dist/lib/catalogue/client-actions.js')).href);
  const target = join(root, 'docs', 'codes.md');
  writeFileSync(target, renderCodesPage(API_ERROR_CATALOGUE, CLIENT_ACTIONS, await sampleOpenApiDocument(root)));
  console.log(`wrote ${target} (${Object.keys(API_ERROR_CATALOGUE).length} codes)`);
}
