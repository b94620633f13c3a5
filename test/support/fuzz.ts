// Random requests against a running app, seeded and reproducible: request i of seed s is always the same
// bytes, whatever the concurrency. Used by test/e2e/fuzz.e2e.spec.ts and by `npm run fuzz` (bench/fuzz.ts).
//
// Every request goes out on a raw TCP socket (`Connection: close`), so that what node:http would refuse to
// send (duplicated or non-ASCII headers, a Content-Length that lies, odd methods) goes out as written.
import { METHODS } from 'node:http';
import { connect } from 'node:net';
import { Ajv } from 'ajv';
import { apiErrorBodySchema } from 'nestjs-api-errors';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The PRNG of request `index` of a run with `seed`. */
export function requestRng(seed: number, index: number): Rng {
  return new Rng(mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0));
}

export class Rng {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length);
    for (let i = 0; i < length; i++) {
      buffer[i] = Math.floor(this.next() * 256);
    }
    return buffer;
  }
  /** A string of `length` characters from `alphabet`. */
  text(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[Math.floor(this.next() * alphabet.length)];
    }
    return out;
  }
}

/** One request, as bytes to write. */
export interface FuzzRequest {
  index: number;
  method: string;
  target: string;
  headers: [string, string | Buffer][];
  body?: Buffer;
  /**
   * A request Node's HTTP parser refuses before any framework runs (bad header name, control character,
   * no Host, header block over 16 KB, unknown method…), or a framing error (a Content-Length that lies).
   * No framework sees it: the package answers it on the socket (Node's `clientError`, Fastify's
   * `clientErrorHandler`), held to the envelope like every other answer, and counted apart too.
   */
  parserLevel: boolean;
  /** What kind of request it is, for the report. */
  label: string;
}

export interface FuzzContext {
  /** A valid API key of the app, so that requests get past the first guard. */
  apiKey?: string;
  /** Other keys the app knows (revoked…). */
  otherKeys?: string[];
}

const ROUTES = [
  'GET /objects',
  'POST /objects',
  'GET /objects/{id}',
  'DELETE /objects/{id}',
  'GET /me',
  'PUT /me/email',
  'PUT /me/phone',
  'POST /me/oauth-links',
  'POST /me/membership',
  'GET /search',
  'POST /partner/reports',
  'POST /accounts',
  'POST /recovery',
  'POST /auth/login',
  'POST /auth/second-factor/backup-code',
  'POST /auth/second-factor/memorable-letters',
  'POST /auth/logout',
  'POST /auth/oauth',
  'POST /demo-oauth/token',
  'GET /docs/openapi.json',
  'GET /',
  'GET /no/such/route',
] as const;

const FIELDS = [
  'login_id',
  'password',
  'email',
  'phone',
  'type',
  'name',
  'shared',
  'backup_code',
  'memorable_letters',
  'provider_code',
  'method',
  'control_answer',
  'new_password',
  'captcha_response',
  'accept_disclaimers',
  'token',
  'otp',
  'member_number',
  'q',
  'limit',
  'id',
];

const BAD_ENCODINGS = [
  '%',
  '%f',
  '%ff',
  '%ff%fe',
  '%E0%A4%A',
  '%C3',
  '%00',
  '%zz',
  '%%',
  '%2',
  '%u0041',
  '%C0%AF',
  '%ED%A0%80',
];
const ODD_METHODS = [
  'PROPFIND',
  'PURGE',
  'TRACE',
  'LOCK',
  'SEARCH',
  'REPORT',
  'MKCOL',
  'COPY',
  'NOTIFY',
  'QUERY',
].filter(method => METHODS.includes(method));
const POLLUTION_KEYS = ['polluted', 'isAdmin', 'fuzzPolluted'];

function idValue(rng: Rng): string {
  return rng.pick([
    () => String(rng.int(1, 50)),
    () => String(rng.int(-5, 0)),
    () => '9'.repeat(rng.int(15, 40)),
    () => rng.text(rng.int(1, 20)),
    () => rng.pick(BAD_ENCODINGS),
    () => `1${rng.pick(BAD_ENCODINGS)}`,
    () => 'a'.repeat(rng.int(90, 400)),
    () => '..%2f..%2fetc%2fpasswd',
    () => '%C3%A9%F0%9F%92%A9',
    () => '1e3',
    () => ' 1',
    () => '1;drop',
  ])();
}

function pathOf(rng: Rng, template: string): string {
  let path = template.replace('{id}', () => idValue(rng));
  if (rng.chance(0.15)) {
    path = rng.pick([
      () => `${path}/`,
      () => path.replace('/', '//'),
      () => `${path}/./x/..`,
      () => `${path}/${rng.pick(BAD_ENCODINGS)}`,
      () => `${path};jsessionid=1`,
      () => path.toUpperCase(),
      () => `${path}/${'x'.repeat(rng.int(200, 6000))}`,
      () => `${path}#fragment`,
      () => `/${rng.pick(BAD_ENCODINGS)}${path}`,
      () => `${path}/%2e%2e/%2e%2e`,
    ])();
  }
  return path;
}

function queryOf(rng: Rng): string {
  if (rng.chance(0.55)) {
    return '';
  }
  const parts: string[] = [];
  const count = rng.chance(0.03) ? rng.int(200, 600) : rng.int(1, 6);
  for (let i = 0; i < count; i++) {
    parts.push(
      rng.pick([
        () => `limit=${rng.pick(['1', '10', '100', '0', '-1', 'abc', '1e2', '%ff', ''])}`,
        () => `q=${rng.text(rng.int(0, 30))}`,
        () => `type=${rng.pick(['note', 'file', 'secret', '', '%E0%A4%A'])}`,
        () => `${rng.pick(FIELDS)}=${rng.pick(BAD_ENCODINGS)}`,
        () => `${rng.pick(BAD_ENCODINGS)}=1`,
        () => '__proto__[polluted]=yes',
        () => '__proto__.polluted=yes',
        () => 'constructor[prototype][polluted]=yes',
        () => 'a[b][c][d][e][f]=1',
        () => `${'a['.repeat(rng.int(5, 50))}=1`,
        () => 'arr[]=1&arr[]=2',
        () => `x=${'y'.repeat(rng.int(100, 2000))}`,
        () => '',
        () => '=',
        () => `k=${encodeURIComponent(rng.pick(['é', '💩', '\u0000', '<script>', "' OR 1=1 --"]))}`,
      ])(),
    );
  }
  return `?${parts.join('&')}`;
}

function randomJsonValue(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 2 ? 5 : 7);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1, 42]);
    case 3:
      return rng.text(rng.int(0, 40));
    case 4:
      return rng.pick([
        'alice',
        'bob',
        'alice-demo-password',
        'note',
        'password',
        'otp',
        'question',
        'a@b.c',
        '+447700900003',
        '',
        ' ',
      ]);
    case 5:
      return rng.pick([
        'é💩',
        '\u0000',
        '\ud800',
        '<b>x</b>',
        "' OR 1=1 --",
        '${jndi:ldap://x}',
        'x'.repeat(rng.int(200, 5000)),
      ]);
    case 6:
      return Array.from({ length: rng.int(0, 4) }, () => randomJsonValue(rng, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = rng.int(0, 4); i > 0; i--) {
        object[rng.pick(FIELDS)] = randomJsonValue(rng, depth + 1);
      }
      return object;
    }
  }
}

function jsonBody(rng: Rng): { text: string; label: string } {
  const fieldsObject = (): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    for (let i = rng.int(0, 6); i > 0; i--) {
      object[rng.pick(FIELDS)] = randomJsonValue(rng);
    }
    return object;
  };
  return rng.pick([
    () => ({ text: JSON.stringify(fieldsObject()), label: 'json' }),
    () => ({ text: JSON.stringify(fieldsObject()), label: 'json' }),
    () => ({ text: JSON.stringify(randomJsonValue(rng)), label: 'json-any' }),
    () => ({
      text: rng.pick(['null', '1', '"text"', '[]', 'true', '{}', '[[[]]]', '-0', '1e999']),
      label: 'json-primitive',
    }),
    () => {
      const depth = rng.pick([100, 1000, 10_000]);
      return rng.chance(0.5)
        ? { text: '['.repeat(depth) + ']'.repeat(depth), label: `json-deep-array-${depth}` }
        : { text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), label: `json-deep-object-${depth}` };
    },
    () => {
      const depth = rng.pick([50, 500, 5000]);
      return {
        text: `{"login_id":"alice","password":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        label: 'json-deep-field',
      };
    },
    () => ({
      text: rng.pick([
        '{"__proto__":{"polluted":"yes"}}',
        '{"constructor":{"prototype":{"polluted":"yes"}}}',
        '{"login_id":"alice","password":"x","__proto__":{"isAdmin":true}}',
        '{"type":"note","name":"n","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"fuzzPolluted":1}}}',
        '{"memorable_letters":{"__proto__":{"polluted":"yes"}}}',
        '{"a":[{"__proto__":{"polluted":"yes"}}]}',
        '{"__proto__":[]}',
        '{"constructor":null}',
        '{"toString":"x","valueOf":1,"hasOwnProperty":"y"}',
      ]),
      label: 'json-poisoned',
    }),
    () => ({
      text: rng.pick([
        '{"login_id": "alice",',
        '{"a":tru}',
        "{'a':1}",
        '{"a":1,}',
        '{"a":NaN}',
        '\ufeff{"a":1}',
        '{"a":"\u0000"}',
        '{',
        '}',
        ' ',
        '"',
        '{"a":1}{"b":2}',
      ]),
      label: 'json-malformed',
    }),
    () => ({ text: JSON.stringify({ pad: 'x'.repeat(rng.pick([120_000, 1_100_000])) }), label: 'json-huge' }),
  ])();
}

interface Body {
  body: Buffer;
  contentType?: string;
  label: string;
}

function bodyOf(rng: Rng): Body | undefined {
  const choice = rng.int(0, 99);
  if (choice < 18) {
    return undefined;
  }
  if (choice < 55) {
    const { text, label } = jsonBody(rng);
    const charset = rng.chance(0.1)
      ? rng.pick(['; charset=utf-8', '; charset=UTF-8', '; charset=utf-16', '; charset=latin1', '; charset=nope'])
      : '';
    const encoded = charset === '; charset=utf-16' ? Buffer.from(text, 'utf16le') : Buffer.from(text);
    return { body: encoded, contentType: `application/json${charset}`, label };
  }
  if (choice < 63) {
    const form = rng.pick([
      () => 'login_id=alice&password=x',
      () => '__proto__[polluted]=yes&login_id=a',
      () => 'constructor[prototype][polluted]=yes',
      () => `a[${'b]['.repeat(rng.int(1, 30))}c]=1`,
      () => `${rng.pick(BAD_ENCODINGS)}=${rng.pick(BAD_ENCODINGS)}`,
      () => Array.from({ length: rng.int(100, 2000) }, (_, i) => `k${i}=v`).join('&'),
      () => rng.text(rng.int(0, 200), 'ab=&%[]+'),
    ])();
    return { body: Buffer.from(form), contentType: 'application/x-www-form-urlencoded', label: 'form' };
  }
  if (choice < 71) {
    const boundary = `----fuzz${rng.text(8)}`;
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="${rng.pick(FIELDS)}"\r\n\r\n${rng.text(rng.int(0, 50))}\r\n`;
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="../../x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const text = rng.pick([
      () => `${part}--${boundary}--\r\n`,
      () => `${part}${file}${rng.text(rng.int(0, 500))}\r\n--${boundary}--\r\n`,
      () => part, // no closing boundary
      () => `--${boundary}\r\n\r\n`,
      () => 'not multipart at all',
      () => `--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n--${boundary}--\r\n`,
    ])();
    const type = rng.pick([
      `multipart/form-data; boundary=${boundary}`,
      'multipart/form-data',
      `multipart/form-data; boundary="${boundary}"`,
      'multipart/mixed',
    ]);
    return { body: Buffer.from(text), contentType: type, label: 'multipart' };
  }
  if (choice < 78) {
    return {
      body: Buffer.from(rng.text(rng.int(0, 300), 'abc {}":,\n\t')),
      contentType: rng.pick(['text/plain', 'text/plain; charset=utf-8', 'text/html', 'text/csv']),
      label: 'text',
    };
  }
  if (choice < 86) {
    const size = rng.chance(0.05) ? rng.int(100_000, 1_200_000) : rng.int(0, 2000);
    return {
      body: rng.bytes(size),
      contentType: rng.pick([
        'application/octet-stream',
        'application/json',
        'image/png',
        'application/x-www-form-urlencoded',
        'text/plain',
        undefined,
      ]),
      label: 'binary',
    };
  }
  if (choice < 90) {
    return {
      body: Buffer.from('<user><login_id>alice</login_id></user>'),
      contentType: rng.pick(['application/xml', 'text/xml', 'application/json']),
      label: 'xml',
    };
  }
  if (choice < 95) {
    return {
      body: Buffer.alloc(0),
      contentType: rng.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain', undefined]),
      label: 'empty',
    };
  }
  const { text } = jsonBody(rng);
  return {
    body: Buffer.from(text),
    contentType: rng.pick([
      '',
      ';;;',
      'application/',
      'application/json; charset',
      'json',
      '*/*',
      'application/json, text/plain',
      'application/vnd.api+json',
      'application/merge-patch+json',
    ]),
    label: 'content-type-odd',
  };
}

function apiKeyHeaders(rng: Rng, context: FuzzContext): [string, string | Buffer][] {
  const key = context.apiKey;
  const choice = rng.int(0, 99);
  if (choice < 45 && key !== undefined) {
    return [[rng.pick(['X-Api-Key', 'x-api-key', 'X-API-KEY']), key]];
  }
  if (choice < 60) {
    return [];
  }
  return [
    [
      'X-Api-Key',
      rng.pick([
        () => '',
        () => ' ',
        () => rng.text(rng.int(1, 64)),
        () => 'x'.repeat(rng.int(1000, 8000)),
        () => Buffer.from([0xc3, 0xa9, 0xff, 0x80]),
        () => rng.pick(context.otherKeys ?? ['revoked']),
        () => `${key ?? 'k'}, ${key ?? 'k'}`,
        () => `${key ?? 'k'} `,
      ])(),
    ],
    ...(rng.chance(0.3) && key !== undefined ? ([['X-Api-Key', key]] as [string, string][]) : []),
  ];
}

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function authorizationHeaders(rng: Rng): [string, string | Buffer][] {
  if (rng.chance(0.55)) {
    return [];
  }
  const value = rng.pick([
    () => 'Bearer',
    () => 'Bearer ',
    () => `Bearer ${rng.text(rng.int(1, 200), 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.')}`,
    () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: '1', exp: 9_999_999_999 })}.`,
    () => `Bearer ${base64url({ alg: 'HS256', kid: '../../etc/passwd' })}.${base64url({ sub: 1 })}.${rng.text(43)}`,
    () => `Bearer ${base64url('{"alg":')}.${base64url('x')}.x`,
    () => `Bearer ${'a.'.repeat(rng.int(2, 2000))}`,
    () => 'Signature keyId="partner-1",created=1,nonce="short",signature="x"',
    () =>
      `Signature keyId="${rng.text(5)}",created=${rng.int(0, 2e9)},nonce="${rng.text(20)}",signature="${base64url(rng.text(32))}"`,
    () => 'Signature ,,,,=,="',
    () => `Basic ${Buffer.from('alice:alice-demo-password').toString('base64')}`,
    () => '',
    () => Buffer.from('Bearer \u00e9\u00ff', 'latin1'),
    () => Buffer.from('Bearer 💩'),
    () => `bearer ${rng.text(20)}`,
    () => `Bearer ${'x'.repeat(rng.int(4000, 9000))}`,
  ])();
  const headers: [string, string | Buffer][] = [['Authorization', value]];
  if (rng.chance(0.1)) {
    headers.push(['Authorization', 'Bearer second']);
  }
  return headers;
}

function extraHeaders(rng: Rng): [string, string | Buffer][] {
  const headers: [string, string | Buffer][] = [];
  for (let i = rng.chance(0.7) ? rng.int(0, 3) : rng.int(4, 60); i > 0; i--) {
    headers.push(
      rng.pick<() => [string, string | Buffer]>([
        () => [
          'Accept',
          rng.pick([
            '*/*',
            'application/json',
            'application/xml',
            'text/html',
            '',
            'application/json;q=0',
            '*/*;q=abc',
          ]),
        ],
        () => ['Accept-Encoding', rng.pick(['gzip', 'br', 'identity;q=0', '*;q=0', ''])],
        () => ['Accept-Language', rng.pick(['fr', 'de-DE,de;q=0.9', '*', ''])],
        () => ['X-Forwarded-For', rng.pick(['1.2.3.4', '::1', 'garbage', '1.2.3.4, 5.6.7.8'])],
        () => ['Origin', rng.pick(['https://evil.example', 'null', ''])],
        () => ['Cookie', `session=${rng.text(rng.int(1, 3000))}`],
        () => ['User-Agent', Buffer.from([0x66, 0x75, 0x7a, 0x7a, 0xe9, 0xff, 0x80])],
        () => ['X-Unicode', Buffer.from('héllo 💩 wörld')],
        () => [`X-Fuzz-${rng.text(6)}`, rng.text(rng.int(0, 100))],
        () => ['X-Empty', ''],
        () => ['X-Huge', 'h'.repeat(rng.int(2000, 6000))],
        () => ['If-None-Match', '*'],
        () => ['If-Modified-Since', rng.pick(['Thu, 01 Jan 1970 00:00:00 GMT', 'garbage'])],
        () => ['Range', rng.pick(['bytes=0-10', 'bytes=abc', 'bytes=-1,0-0'])],
        () => ['X-HTTP-Method-Override', rng.pick(['DELETE', 'PUT', 'FOO'])],
        () => ['Content-Encoding', rng.pick(['gzip', 'deflate', 'br', 'identity', 'nope'])],
        () => ['X-Request-Id', rng.text(rng.int(0, 200))],
        () => ['Expect', '100-continue'],
        () => ['Connection', rng.pick(['keep-alive', 'close', 'upgrade'])],
        () => ['Upgrade', rng.pick(['websocket', 'h2c'])],
        () => ['Content-Type', rng.pick(['application/json', 'text/plain'])], // a second Content-Type
      ])(),
    );
  }
  return headers;
}

/** The request `index` of the run with `seed`: the same bytes every time. */
export function generateRequest(seed: number, index: number, context: FuzzContext = {}): FuzzRequest {
  const rng = requestRng(seed, index);
  const route = rng.pick(ROUTES);
  const [routeMethod, template] = route.split(' ') as [string, string];
  const method = rng.chance(0.75)
    ? routeMethod
    : rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', ...ODD_METHODS]);
  const target = pathOf(rng, template) + queryOf(rng);
  const headers: [string, string | Buffer][] = [
    ...apiKeyHeaders(rng, context),
    ...authorizationHeaders(rng),
    ...extraHeaders(rng),
  ];
  const body = method === 'GET' || method === 'HEAD' ? (rng.chance(0.08) ? bodyOf(rng) : undefined) : bodyOf(rng);
  const labels = [method, body?.label ?? 'no-body'];
  let parserLevel = false;
  let declaredLength: string | undefined = body === undefined ? undefined : String(body.body.length);
  let chunked = false;
  if (body?.contentType !== undefined) {
    headers.push(['Content-Type', body.contentType]);
  }
  if (body !== undefined && rng.chance(0.08)) {
    const lie = rng.int(0, 2);
    // A Content-Length that lies is an HTTP framing error: the bytes after a short one are a second,
    // malformed request, and a long one ends in EOF mid-body; Node's parser answers both.
    if (lie === 0 && body.body.length > 0) {
      declaredLength = String(rng.int(0, body.body.length - 1));
      labels.push('content-length-short');
      parserLevel = true;
    } else if (lie === 1) {
      declaredLength = String(body.body.length + rng.int(1, 100));
      labels.push('content-length-long');
      parserLevel = true;
    } else {
      declaredLength = undefined;
      chunked = true;
      labels.push('chunked');
    }
  }
  if (rng.chance(0.02)) {
    parserLevel = true;
    const breakage = rng.pick([
      () => headers.push(['Bad Header', 'x']),
      () => headers.push(['X-Control', '\u0001']),
      () => headers.push(['', 'empty-name']),
      () => headers.push(['X-Too-Big', 'z'.repeat(17_000)]),
      () => headers.push(['Transfer-Encoding', 'chunked'], ['Content-Length', '5']),
      () => headers.push(['Content-Length', '1'], ['Content-Length', '2']),
      () => headers.push(['Content-Length', '-1']),
      () => headers.push(['X-Raw', Buffer.from('a\rb')]),
    ]);
    breakage();
    labels.push('parser-level');
  }
  if (!/^[\x21-\x7e]*$/.test(target) || target.includes('#')) {
    parserLevel = true; // a space, a raw non-ASCII byte or a fragment in the request line
    labels.push('parser-level-target');
  }
  const methodOnLine = parserLevel && rng.chance(0.2) ? rng.pick(['get', 'FOO', 'G ET']) : method;
  const request: FuzzRequest = {
    index,
    method: methodOnLine,
    target,
    headers,
    parserLevel: parserLevel || methodOnLine !== method,
    label: labels.join(' '),
  };
  if (!request.parserLevel) {
    fitHeaderBlock(request);
  }
  if (chunked) {
    request.headers.push(['Transfer-Encoding', 'chunked']);
    const payload = body?.body ?? Buffer.alloc(0);
    const chunk =
      payload.length === 0 ? [] : [Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')];
    request.body = Buffer.concat([...chunk, Buffer.from('0\r\n\r\n')]);
  } else {
    if (declaredLength !== undefined) {
      request.headers.push(['Content-Length', declaredLength]);
    }
    request.body = body?.body;
  }
  return request;
}

/** Node refuses a request line and header block over 16 KB (431): keep a valid request under it. */
const MAX_HEAD = 14_000;

function headSize(request: FuzzRequest): number {
  return (
    request.method.length +
    request.target.length +
    60 +
    request.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
  );
}

function fitHeaderBlock(request: FuzzRequest): void {
  while (headSize(request) > MAX_HEAD) {
    let largest = -1;
    for (let i = 0; i < request.headers.length; i++) {
      const [name, value] = request.headers[i] as [string, string | Buffer];
      if (
        !/^content-/i.test(name) &&
        (largest === -1 || value.length > (request.headers[largest] as [string, string | Buffer])[1].length)
      ) {
        largest = i;
      }
    }
    const largestValue = largest === -1 ? 0 : (request.headers[largest] as [string, string | Buffer])[1].length;
    if (request.target.length > largestValue) {
      request.target = request.target.slice(0, Math.max(1, request.target.length - (headSize(request) - MAX_HEAD) - 1));
    } else if (largest !== -1) {
      request.headers.splice(largest, 1);
    } else {
      return;
    }
  }
}

/** The bytes of a request, with `Host` and `Connection: close`. */
export function serializeRequest(request: FuzzRequest, host: string): Buffer {
  const lines: Buffer[] = [
    Buffer.from(`${request.method} `),
    Buffer.from(request.target, 'latin1'),
    Buffer.from(' HTTP/1.1\r\n'),
  ];
  const hasHost = request.headers.some(([name]) => name.toLowerCase() === 'host');
  if (!hasHost) {
    lines.push(Buffer.from(`Host: ${host}\r\n`));
  }
  lines.push(Buffer.from('Connection: close\r\n'));
  for (const [name, value] of request.headers) {
    lines.push(
      Buffer.from(`${name}: `),
      typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
      Buffer.from('\r\n'),
    );
  }
  lines.push(Buffer.from('\r\n'));
  if (request.body !== undefined) {
    lines.push(request.body);
  }
  return Buffer.concat(lines);
}

/** A response as read off the socket. */
export interface FuzzResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Writes the request, reads until the server closes, and parses the first final response (skipping
 * `100 Continue`). `undefined` when the server closed without an answer (it may, for a body that never
 * comes).
 */
export function sendRaw(
  port: number,
  bytes: Buffer,
  options: { timeoutMs?: number; halfCloseAfterMs?: number } = {},
): Promise<FuzzResponse | undefined> {
  const { timeoutMs = 10_000, halfCloseAfterMs } = options;
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' });
    let done = false;
    let halfClose: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      if (done) {
        return;
      }
      done = true;
      clearTimeout(timer);
      clearTimeout(halfClose);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (isCompleteResponse(Buffer.concat(chunks))) {
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => setTimeout(finish, 50)); // a reset after a 413: what arrived counts
    socket.write(bytes, () => {
      // A body shorter than its Content-Length never completes: the caller asks to end our side so that
      // the server notices. Only then: Node's HTTP server takes a client that half-closes for gone and
      // drops the answers it has not written yet. Every other request says `Connection: close`.
      if (halfCloseAfterMs !== undefined) {
        halfClose = setTimeout(() => socket.end(), halfCloseAfterMs);
      }
    });
  });
}

function splitHead(data: Buffer): { status: number; headers: Record<string, string>; rest: Buffer } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) {
    return undefined;
  }
  const [statusLine = '', ...headerLines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (match === null) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(match[1]), headers, rest: data.subarray(end + 4) };
}

function finalHead(data: Buffer): ReturnType<typeof splitHead> {
  let head = splitHead(data);
  while (head !== undefined && head.status >= 100 && head.status < 200 && head.status !== 101) {
    head = splitHead(head.rest);
  }
  return head;
}

function isCompleteResponse(data: Buffer): boolean {
  const head = finalHead(data);
  if (head === undefined) {
    return false;
  }
  const length = head.headers['content-length'];
  return length !== undefined && head.rest.length >= Number(length);
}

function parseResponse(data: Buffer): FuzzResponse | undefined {
  const head = finalHead(data);
  if (head === undefined) {
    return undefined;
  }
  let body = head.rest;
  const length = head.headers['content-length'];
  if (length !== undefined) {
    body = body.subarray(0, Number(length));
  } else if (/chunked/i.test(head.headers['transfer-encoding'] ?? '')) {
    body = dechunk(body);
  }
  return { status: head.status, headers: head.headers, body };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) {
      break;
    }
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) {
      break;
    }
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateErrorBody = ajv.compile(apiErrorBodySchema);

/** What a body must never show: a stack frame, an error class, a file path, a driver's message. */
const LEAKS = [
  /\bat .+:\d+:\d+/,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|SqliteError|URIError|EvalError)\b/,
  /Maximum call stack|Cannot read propert|is not a function|Unexpected token|undefined is not|SQLITE_/,
  /node_modules|file:\/\/|\/work\/|\/home\/|\.ts:\d+/,
];

export type ProblemKind = 'non-envelope' | '5xx' | 'leak';

export interface Problem {
  kind: ProblemKind;
  index: number;
  label: string;
  request: string;
  status: number;
  body: string;
}

/**
 * The sample's stand-in OAuth provider (`/demo-oauth/token`, demo mode) plays a third-party server and
 * answers in OAuth's own error format (RFC 6749 `{"error":"invalid_grant"}`), not the API's envelope.
 */
export function speaksOAuth(request: FuzzRequest): boolean {
  return /^\/+demo-oauth\//i.test(request.target);
}

/** The faults of one answer, by what the contract says every answer must be. */
export function checkResponse(request: FuzzRequest, response: FuzzResponse): { kind: ProblemKind; why: string }[] {
  const problems: { kind: ProblemKind; why: string }[] = [];
  const text = response.body.toString('utf8');
  if (response.status >= 500) {
    problems.push({ kind: '5xx', why: `status ${response.status}` });
  }
  if (response.status >= 400 && !speaksOAuth(request)) {
    if (request.method === 'HEAD') {
      if (response.headers['x-error-id'] === undefined) {
        problems.push({ kind: 'non-envelope', why: 'HEAD error without X-Error-Id' });
      }
    } else {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (!validateErrorBody(json)) {
        problems.push({ kind: 'non-envelope', why: `not an envelope: ${ajv.errorsText(validateErrorBody.errors)}` });
      } else if (response.headers['x-error-id'] !== (json as { error_id: string }).error_id) {
        problems.push({ kind: 'non-envelope', why: 'X-Error-Id differs from error_id' });
      } else if (response.headers['content-type'] !== 'application/json; charset=utf-8') {
        problems.push({ kind: 'non-envelope', why: `content-type ${response.headers['content-type']}` });
      }
    }
  }
  const type = response.headers['content-type'] ?? '';
  if (response.status >= 400 || type.startsWith('application/json')) {
    const leak = LEAKS.find(pattern => pattern.test(text));
    if (leak !== undefined) {
      problems.push({ kind: 'leak', why: `body matches ${String(leak)}` });
    }
  }
  return problems;
}

/** A printable, reproducible description of a request (start of the bytes). */
export function describeRequest(request: FuzzRequest, host: string): string {
  const bytes = serializeRequest(request, host);
  const shown = bytes.subarray(0, 600).toString('latin1').replace(/\r\n/g, '\\r\\n\n');
  return bytes.length > 600 ? `${shown}… (${bytes.length} bytes)` : shown;
}

export interface FuzzReport {
  seed: number;
  total: number;
  byStatus: Record<string, number>;
  /** Answers that are no envelope though their status is ≥ 400. */
  nonEnvelope: number;
  serverErrors: number;
  leaks: number;
  /** The server closed without answering. */
  noAnswer: number;
  /**
   * Requests that declared a longer body than they sent and then closed their side, which the server
   * closed without an answer (Node's HTTP server takes a half-closed client for gone): not a fault.
   */
  unfinishedBodies: number;
  /** Requests Node's HTTP parser refused before any framework (see `FuzzRequest.parserLevel`). */
  parserLevel: number;
  /** The first problems found, with what reproduces them. */
  problems: Problem[];
}

export interface FuzzRunOptions {
  port: number;
  seed: number;
  requests: number;
  /** First request index (to replay one request: `first: i, requests: 1`). */
  first?: number;
  concurrency?: number;
  context?: FuzzContext;
  /** Called every `progressEvery` requests. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
}

/** Sends `requests` generated requests, `concurrency` at a time, and counts what came back. */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const { port, seed, requests, first = 0, concurrency = 8, context = {} } = options;
  const host = `127.0.0.1:${port}`;
  const report: FuzzReport = {
    seed,
    total: 0,
    byStatus: {},
    nonEnvelope: 0,
    serverErrors: 0,
    leaks: 0,
    noAnswer: 0,
    unfinishedBodies: 0,
    parserLevel: 0,
    problems: [],
  };
  let next = first;
  const end = first + requests;
  const worker = async (): Promise<void> => {
    while (next < end) {
      const index = next++;
      const request = generateRequest(seed, index, context);
      const unfinished = request.label.includes('content-length-long');
      const response = await sendRaw(
        port,
        serializeRequest(request, host),
        unfinished ? { halfCloseAfterMs: 300 } : {},
      );
      report.total++;
      if (options.onProgress !== undefined && report.total % (options.progressEvery ?? 10_000) === 0) {
        options.onProgress(report.total);
      }
      if (request.parserLevel) {
        report.parserLevel++;
      }
      if (response === undefined) {
        if (unfinished) {
          report.unfinishedBodies++;
        } else {
          report.noAnswer++;
        }
        continue;
      }
      report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
      for (const { kind, why } of checkResponse(request, response)) {
        if (kind === 'non-envelope') report.nonEnvelope++;
        if (kind === '5xx') report.serverErrors++;
        if (kind === 'leak') report.leaks++;
        if (report.problems.length < 20) {
          report.problems.push({
            kind,
            index,
            label: `${request.label}: ${why}`,
            request: describeRequest(request, host),
            status: response.status,
            body: response.body.subarray(0, 500).toString('utf8'),
          });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}

/** What `Object.prototype` looks like now: its own property names, and any probe key an object inherits. */
export function prototypeSnapshot(): string[] {
  const probe: Record<string, unknown> = {};
  const inherited = POLLUTION_KEYS.filter(key => probe[key] !== undefined || key in probe);
  return [...Object.getOwnPropertyNames(Object.prototype).sort(), ...inherited.map(key => `inherited:${key}`)];
}

/** One line per problem, with the seed and index that replay it. */
export function formatProblems(report: FuzzReport): string {
  return report.problems
    .map(
      problem =>
        `[${problem.kind}] seed=${report.seed} index=${problem.index} (${problem.label}) → ${problem.status}\n${problem.request}\n← ${problem.body}`,
    )
    .join('\n\n');
}
