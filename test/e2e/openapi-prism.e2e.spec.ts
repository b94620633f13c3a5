// The sample's OpenAPI document held to the app by a tool that did not write it: Stoplight Prism's
// validation proxy sits between curl and the sample app (on each adapter), the walkthrough and a set of
// bad requests go through it, and every violation it reports is counted with its operation.
//
// What must be zero: response violations on every exchange (each answer the app gives is in the
// document, status, headers and body); and request violations on the exchanges the app accepted (the
// document asks for nothing the app does not: the body fields the guards read are in it too). A
// request the app refused may well break the document too (that is what a refused request is): for the
// bad requests whose fault the document can express (missing field, wrong type, over a maxLength, wrong
// media type, unknown route), Prism must find that fault, or the document would be looser than the app.
// Two answers Prism cannot check are checked here against the document's schemas: malformed JSON (which
// Prism cannot read) and the unknown route (which has no operation).
import { Validator } from '@seriousme/openapi-schema-validator';
import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Ajv } from 'ajv';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ERROR_CATALOGUE } from 'nestjs-api-errors';
import { openApiDocument } from '../../sample-app/app.factory.js';
import type { SampleAdapter } from '../../sample-app/config.js';
import { sampleOpenApiDocument } from '../support/sample-openapi.js';
import { DOCUMENTED_URL, Shell, parseWalkthrough, startWalkthroughApp, walkthrough } from '../support/walkthrough.js';
import {
  startPrism,
  startRecorder,
  type Exchange,
  type PrismViolation,
  type Recorder,
  type RunningPrism,
} from '../support/prism.js';

const steps = parseWalkthrough(walkthrough).filter(step => !step.skip);
const API_KEY = 'demo-web-app-key-0123456789abcdef';

/** The responses every route shares, each once under components.responses. */
const SHARED_RESPONSES = [
  'request.route.notfound',
  'request.body.toolarge',
  'request.mediatype.unsupported',
  'server.internal.error',
];

interface BadRequest {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The code the app answers with. */
  code: string;
  /**
   * What Prism must find wrong with the request, from the document alone (a schema, a media type, the
   * list of routes); null where the document cannot tell (malformed JSON, which Prism cannot read).
   */
  flaggedAs: RegExp | null;
}

const json = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
const login = (body: object): string => JSON.stringify({ captcha_response: 'demo-captcha-pass', ...body });

const BAD_REQUESTS: BadRequest[] = [
  {
    name: 'missing field',
    method: 'POST',
    path: '/auth/login',
    headers: json,
    body: login({ login_id: 'bob' }),
    code: 'request.validation.failed',
    flaggedAs: /required property 'password'/,
  },
  {
    name: 'wrong type',
    method: 'POST',
    path: '/auth/login',
    headers: json,
    body: login({ login_id: 123, password: 'bob-demo-password' }),
    code: 'request.validation.failed',
    flaggedAs: /login_id must be string/,
  },
  {
    name: 'wrong media type',
    method: 'POST',
    // A route with no captcha, whose guard would answer first.
    path: '/auth/oauth',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/xml' },
    body: '<provider_code>abc</provider_code>',
    code: 'request.mediatype.unsupported',
    flaggedAs: /Supported content types: application\/json/,
  },
  {
    name: 'oversized body',
    method: 'POST',
    path: '/auth/oauth',
    headers: json,
    // Over both adapters' default body limits (Express 100 kB, Fastify 1 MiB) and under Prism's own 10 MB;
    // a long value, as Prism forwards a JSON body re-serialised (blanks would not reach the app). The
    // document can tell: the value is over the field's maxLength (500).
    body: JSON.stringify({ provider_code: 'x'.repeat(2 * 1024 * 1024) }),
    code: 'request.body.toolarge',
    flaggedAs: /provider_code must NOT have more than 500 characters/,
  },
  {
    // Prism cannot read it (see startRecorder): the recorder sends it to the app and its answer is checked
    // against the document's schema here.
    name: 'malformed JSON',
    method: 'POST',
    path: '/auth/oauth',
    headers: json,
    body: '{"provider_code":',
    code: 'request.validation.failed',
    flaggedAs: null,
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/no-such-route',
    headers: { 'x-api-key': API_KEY },
    code: 'request.route.notfound',
    // Prism finds no operation for it: the document says there is no such route.
    flaggedAs: /Selected route not found/,
  },
];

/** The document's path template that a concrete path falls under, or undefined. */
function templateOf(document: OpenAPIObject, method: string, path: string): string | undefined {
  const pathname = path.split('?')[0]!;
  return Object.keys(document.paths).find(template => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(pathname) && (document.paths[template] as Record<string, unknown>)[method.toLowerCase()];
  });
}

/** `POST /auth/login` for an exchange, by the document's path templates. */
function operationOf(document: OpenAPIObject, exchange: { method: string; url: string }): string {
  return `${exchange.method} ${templateOf(document, exchange.method, exchange.url) ?? `${exchange.url} (no operation)`}`;
}

interface Counted {
  operation: string;
  status: number;
  violation: PrismViolation;
}

/** Every violation, split by where it points: the request or the response. */
function violations(document: OpenAPIObject, exchanges: Exchange[]): { request: Counted[]; response: Counted[] } {
  const request: Counted[] = [];
  const response: Counted[] = [];
  for (const exchange of exchanges) {
    if (exchange.direct) {
      response.push(...directViolations(document, exchange));
    }
    for (const violation of exchange.violations) {
      const counted = { operation: operationOf(document, exchange), status: exchange.status, violation };
      (violation.location[0] === 'request' ? request : response).push(counted);
    }
  }
  return { request, response };
}

/** The answer to a request Prism could not read, checked against the document's schema for it. */
function directViolations(document: OpenAPIObject, exchange: Exchange): Counted[] {
  const operation = operationOf(document, exchange);
  const at = (message: string): Counted => ({
    operation,
    status: exchange.status,
    violation: { location: ['response', '(checked without Prism)'], severity: 'Error', message },
  });
  const validate = responseValidator(document, exchange.method, exchange.url, exchange.status);
  if (validate === undefined) {
    return [at(`status ${exchange.status} with a JSON body is not documented for this operation`)];
  }
  if (!validate(JSON.parse(exchange.body))) {
    return [at(`body does not match the documented schema: ${JSON.stringify(validate.errors)}`)];
  }
  return [];
}

/** The `"status":…` and `"error_code":…` pairs of an answer, in order. */
const marks = (text: string): string[] => [...text.matchAll(/"(?:status|error_code)":"[^"]*"/g)].map(([mark]) => mark);

const describeViolation = ({ operation, status, violation }: Counted): string =>
  `${operation} → ${status}: ${violation.location.join('.')} ${violation.message}`;

/** A response schema of the document, with the document's components beside it for its references. */
function responseValidator(document: OpenAPIObject, method: string, path: string, status: number) {
  const template = templateOf(document, method, path);
  let response = template
    ? (document.paths[template] as Record<string, { responses: Record<string, unknown> }>)[method.toLowerCase()]
        ?.responses[String(status)]
    : undefined;
  const ref = (response as { $ref?: string } | undefined)?.$ref;
  if (ref !== undefined) {
    response = document.components?.responses?.[ref.split('/').pop()!];
  }
  const schema = (response as { content?: Record<string, { schema?: object }> } | undefined)?.content?.[
    'application/json'
  ]?.schema;
  if (schema === undefined) {
    return undefined;
  }
  return new Ajv({ strict: false, allErrors: true }).compile({ ...schema, components: document.components });
}

describe('the sample’s OpenAPI document', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await sampleOpenApiDocument('express');
  });

  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(document.openapi).toMatch(/^3\./);
  });

  it.each(SHARED_RESPONSES)('has %s once, under components.responses, never copied into an operation', code => {
    const shared = Object.entries(document.components?.responses ?? {}).filter(([name, response]) =>
      JSON.stringify([name, response]).includes(`"${code}"`),
    );
    expect(shared.map(([name]) => name)).toEqual([code]);
    // Operations that answer with it refer to it; none has its own copy of the code's body or example.
    expect(JSON.stringify(document.paths).includes(`"${code}"`)).toBe(false);
  });

  it('has an example body for every code it uses', () => {
    const text = JSON.stringify(document);
    const used = new Set<string>();
    const exampled = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) {
        value.forEach(collect);
        return;
      }
      if (value === null || typeof value !== 'object') {
        return;
      }
      const record = value as Record<string, unknown>;
      const example = record.value as { status?: unknown; error_code?: unknown } | undefined;
      if (example?.status === 'error' && typeof example.error_code === 'string') {
        exampled.add(example.error_code);
      }
      // A route lists its codes as the enum (or const) of error_code.
      const errorCode = (record.properties as Record<string, { enum?: unknown[]; const?: unknown }> | undefined)
        ?.error_code;
      for (const code of [...(errorCode?.enum ?? []), ...(errorCode?.const === undefined ? [] : [errorCode.const])]) {
        used.add(String(code));
      }
      Object.values(record).forEach(collect);
    };
    collect(document);
    for (const code of Object.keys(API_ERROR_CATALOGUE)) {
      if (text.includes(`"${code}"`) || text.includes(`\`${code}\``)) {
        used.add(code);
      }
    }
    expect([...used].filter(code => !exampled.has(code))).toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });
});

describe.each<SampleAdapter>(['express', 'fastify'])(
  'Prism’s validation proxy in front of the sample on %s',
  adapter => {
    let app: INestApplication;
    let appUrl: string;
    let dir: string;
    let document: OpenAPIObject;
    let prism: RunningPrism | undefined;
    let recorder: Recorder | undefined;
    let shell: Shell | undefined;
    /** Each bad request's place in the recorded exchanges. */
    const badExchanges = new Map<string, number>();
    /** Walkthrough steps whose answer did not have the documented statuses and codes. */
    const mismatches: string[] = [];
    /** The code each bad request was answered with. */
    const answered: { name: string; code: string | undefined }[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `api-errors-prism-${adapter}-`));
      ({ app, url: appUrl } = await startWalkthroughApp(adapter, dir));
      document = await openApiDocument(app);
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      prism = await startPrism(file, appUrl);
      recorder = await startRecorder(prism.url, appUrl);
      shell = new Shell(dir);
      // All the traffic goes through first, so that each test below reads the same record.
      const url = recorder.url;
      for (const step of steps) {
        const output = await shell
          .run(step.command.replaceAll(DOCUMENTED_URL, url), 10_000)
          .then(({ stdout }) => stdout)
          .catch((error: Error) => `WALKTHROUGH.md:${step.line}: ${error.message}`);
        if (output.startsWith('WALKTHROUGH.md:')) {
          mismatches.push(output);
          break;
        }
        // The full answers are the walkthrough test's business; here each step must get the statuses and
        // codes it documents, so that the flows ran as written through the proxy.
        if (JSON.stringify(marks(output)) !== JSON.stringify(marks(step.expected))) {
          mismatches.push(`WALKTHROUGH.md:${step.line}: expected ${marks(step.expected).join(' ')}, got ${output}`);
        }
      }
      for (const bad of BAD_REQUESTS) {
        badExchanges.set(bad.name, recorder.exchanges.length);
        const response = await fetch(`${url}${bad.path}`, {
          method: bad.method,
          headers: bad.headers ?? {},
          ...(bad.body === undefined ? {} : { body: bad.body }),
        });
        const body = (await response.json()) as { error_code?: string };
        answered.push({ name: bad.name, code: body.error_code });
      }
    }, 60_000);

    afterAll(async () => {
      shell?.close();
      await recorder?.close();
      await prism?.stop();
      await app?.close();
      if (dir !== undefined) {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('replays the walkthrough through the proxy, each answer with its documented status and code', () => {
      expect(mismatches).toEqual([]);
      expect(recorder!.exchanges.length).toBeGreaterThan(60);
    });

    it('sends the bad requests through the proxy; the app answers each with its code', () => {
      expect(answered).toEqual(BAD_REQUESTS.map(({ name, code }) => ({ name, code })));
    });

    it('finds no violation: none in any response, none in the requests the app accepted', () => {
      const { request, response } = violations(document, recorder!.exchanges);
      const accepted = request.filter(({ status }) => status < 400);
      const counts = { response: response.length, requestAccepted: accepted.length };
      // Each violation is listed, so that a failure says what the document gets wrong.
      expect({ counts, response: response.map(describeViolation), accepted: accepted.map(describeViolation) }).toEqual({
        counts: { response: 0, requestAccepted: 0 },
        response: [],
        accepted: [],
      });
    });

    it('counts a violation when the document is wrong (the control case: GET /objects without its 401)', async () => {
      const broken = structuredClone(document) as OpenAPIObject;
      delete (broken.paths['/objects']!.get!.responses as Record<string, unknown>)['401'];
      const file = join(dir, 'broken-openapi.json');
      writeFileSync(file, JSON.stringify(broken));
      const control = await startPrism(file, appUrl);
      const controlRecorder = await startRecorder(control.url, appUrl);
      try {
        await (await fetch(`${controlRecorder.url}/objects`)).text();
      } finally {
        await controlRecorder.close();
        await control.stop();
      }
      const { response } = violations(broken, controlRecorder.exchanges);
      expect(response.map(describeViolation)).toEqual([expect.stringMatching(/^GET \/objects → 401: response /)]);
    }, 30_000);

    it('finds each bad request wrong for its own fault, where the document can tell', () => {
      const flagged = BAD_REQUESTS.map(bad => {
        const exchange = recorder!.exchanges[badExchanges.get(bad.name) ?? -1];
        const own = exchange?.violations.filter(violation => violation.location[0] === 'request') ?? [];
        return { name: bad.name, flagged: own.some(violation => bad.flaggedAs?.test(violation.message) === true) };
      });
      expect(flagged).toEqual(BAD_REQUESTS.map(({ name, flaggedAs }) => ({ name, flagged: flaggedAs !== null })));
    });

    it('documents the answer to an unknown route, which Prism cannot match to an operation', () => {
      const exchange = recorder!.exchanges.find(candidate => candidate.url === '/no-such-route');
      const notFound = document.components?.responses?.['request.route.notfound'] as
        { content?: Record<string, { schema?: object }> } | undefined;
      const schema = notFound?.content?.['application/json']?.schema;
      expect(schema).toBeDefined();
      const validate = new Ajv({ strict: false, allErrors: true }).compile({
        ...schema,
        components: document.components,
      });
      const valid = validate(JSON.parse(exchange!.body));
      expect({ status: exchange!.status, valid, errors: validate.errors ?? null }).toEqual({
        status: 404,
        valid: true,
        errors: null,
      });
    });
  },
);
