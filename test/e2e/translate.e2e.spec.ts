import { jest } from '@jest/globals';
import {
  API_ERROR_CATALOGUE,
  ApiErrorsFilter,
  type ApiErrorMessages,
  type TranslateContext,
  type TranslateMessages,
} from 'nestjs-api-errors';
import { connect } from 'node:net';
import { parseAcceptLanguage } from '../../lib/i18n/accept-language.js';
import { DEFAULT_TRANSLATE_TIMEOUT_MS, translateOptions } from '../../lib/i18n/translate-messages.js';
import { INVALID_JSON_MESSAGE, INVALID_URL_MESSAGE } from '../../lib/filter/framework-errors.js';
import { INTERNAL_SECRET } from '../fixtures/foreign-errors.fixture.js';
import { ADAPTERS, startFixture, type AdapterName, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send, type RawResponse, type RequestOptions } from '../support/http-client.js';

const FRENCH = 'fr-CH, fr;q=0.9, en;q=0.8';

/** An application's dictionary: whole answers by code, and single sentences (validation, parsers). */
const DICTIONARY: Record<string, { codes: Record<string, string[]>; sentences: Record<string, string> }> = {
  fr: {
    codes: {
      'object.id.notfound': ["L'objet demandé est introuvable."],
      'request.route.notfound': ['Aucune route ne correspond à cette méthode et ce chemin.'],
      'request.body.toolarge': ['Le corps de la requête est trop grand.'],
      'request.mediatype.unsupported': ["Ce type de média n'est pas accepté ; envoyez du JSON en UTF-8."],
      'server.internal.error': ['Une erreur interne est survenue. Citez error_id au support.'],
    },
    sentences: {
      [INVALID_JSON_MESSAGE]: "Le corps de la requête n'est pas du JSON valide.",
      [INVALID_URL_MESSAGE]: "L'URL de la requête n'est pas correctement encodée.",
      'email must be an email': 'email doit être une adresse e-mail',
    },
  },
};

function translateSentences(language: string, messages: ApiErrorMessages): ApiErrorMessages {
  const { sentences } = DICTIONARY[language]!;
  const one = (sentence: string): string => sentences[sentence] ?? `[${language}] ${sentence}`;
  if (Array.isArray(messages)) {
    return messages.map(one);
  }
  return Object.fromEntries(Object.entries(messages).map(([field, list]) => [field, list.map(one)]));
}

/** The plain translator of the docs: the first language of the client the dictionary has. */
const dictionaryTranslator: TranslateMessages = (code, messages, { languages }) => {
  const language = languages.map(tag => tag.split('-')[0]!.toLowerCase()).find(tag => tag in DICTIONARY);
  if (language === undefined) {
    return messages;
  }
  return DICTIONARY[language]!.codes[code] ?? translateSentences(language, messages);
};

const catalogueMessage = (code: string): string[] => [
  (API_ERROR_CATALOGUE as Record<string, { message: string }>)[code]!.message,
];

interface Call {
  code: string;
  messages: ApiErrorMessages;
  context: TranslateContext;
}

describe.each(ADAPTERS)('translate on %s', (adapter: AdapterName) => {
  const calls: Call[] = [];
  let behaviour: TranslateMessages = dictionaryTranslator;
  let running: RunningApp;
  const get = (path: string, options: RequestOptions = {}): Promise<RawResponse> =>
    send(running.baseUrl, path, { ...options, headers: { 'accept-language': FRENCH, ...options.headers } });

  beforeAll(async () => {
    running = await startFixture(adapter, {
      translate: (code, messages, context) => {
        calls.push({ code, messages: structuredClone(messages), context });
        return behaviour(code, messages, context);
      },
      translateTimeout: 200,
    });
  });
  afterAll(() => running.close());
  beforeEach(() => {
    calls.length = 0;
    behaviour = dictionaryTranslator;
  });

  it('answers a thrown exception in the first language of Accept-Language the dictionary has', async () => {
    const res = await get('/errors/controller');

    expectError(res, 'object.id.notfound', { messages: DICTIONARY.fr!.codes['object.id.notfound'] });
    expect(calls).toHaveLength(1);
    const [{ code, messages, context }] = calls as [Call];
    expect({ code, messages, status: context.status }).toEqual({
      code: 'object.id.notfound',
      messages: catalogueMessage('object.id.notfound'),
      status: 404,
    });
    expect(context.acceptLanguage).toBe(FRENCH);
    expect(context.languages).toEqual(['fr-CH', 'fr', 'en']);
    expect((context.request as { headers: Record<string, string> }).headers['accept-language']).toBe(FRENCH);
  });

  it('translates validation messages sentence by sentence, keeping every field key', async () => {
    const body = { first_name: '', email: 'not-an-email', address: { city: 7 } };
    const request: RequestOptions = { method: 'POST', body };
    const untranslated = await send(running.baseUrl, '/validation/users', request);
    const translated = await get('/validation/users', request);

    const original = untranslated.json.messages as Record<string, string[]>;
    expect(Object.keys(original)).toEqual(expect.arrayContaining(['first_name', 'email', 'address.city']));
    expectError(translated, 'request.validation.failed', { messages: translateSentences('fr', original) });
    expect(translated.json.messages.email).toEqual(['email doit être une adresse e-mail']);
  });

  it.each([
    [
      'malformed JSON',
      '/validation/users',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' },
      'request.validation.failed',
      ["Le corps de la requête n'est pas du JSON valide."],
    ],
    [
      'an unmatched route',
      '/no/such/route',
      {},
      'request.route.notfound',
      DICTIONARY.fr!.codes['request.route.notfound'],
    ],
    [
      'a URL that is not percent-encoded (a framework error on Fastify)',
      '/errors/code/%ff%fe',
      {},
      'request.validation.failed',
      ["L'URL de la requête n'est pas correctement encodée."],
    ],
    [
      'a body over the size limit',
      '/validation/users',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
      },
      'request.body.toolarge',
      DICTIONARY.fr!.codes['request.body.toolarge'],
    ],
    [
      'an unsupported media type',
      '/validation/users',
      { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' },
      'request.mediatype.unsupported',
      DICTIONARY.fr!.codes['request.mediatype.unsupported'],
    ],
  ] as [string, string, RequestOptions, string, string[]][])(
    'translates %s',
    async (_name, path, request, code, messages) => {
      const res = await get(path, request);

      expectError(res, code, { messages });
    },
  );

  it('keeps a 5xx generic: the translator sees the catalogue sentence, never the exception', async () => {
    const res = await get('/errors/internal');

    expectError(res, 'server.internal.error', { messages: DICTIONARY.fr!.codes['server.internal.error'] });
    expect(calls.map(call => call.messages)).toEqual([catalogueMessage('server.internal.error')]);
    expect(JSON.stringify(calls.map(call => [call.code, call.messages]))).not.toContain(INTERNAL_SECRET);
  });

  it('leaves the messages as they are when the request has no Accept-Language', async () => {
    const res = await send(running.baseUrl, '/errors/controller');

    expectError(res, 'object.id.notfound');
    expect(calls.map(call => [call.context.acceptLanguage, call.context.languages])).toEqual([[undefined, []]]);
  });

  it('makes no promise for a sync translator, and one for an async translator', async () => {
    const filter = running.app.get(ApiErrorsFilter) as unknown as { translateMessages(...args: unknown[]): unknown };
    const step = jest.spyOn(filter, 'translateMessages');
    try {
      await get('/errors/controller');
      behaviour = (code, messages, context) => Promise.resolve(dictionaryTranslator(code, messages, context));
      await get('/errors/controller');

      expect(step.mock.results.map(result => result.value instanceof Promise)).toEqual([false, true]);
    } finally {
      step.mockRestore();
    }
  });

  it('waits for an async translator', async () => {
    behaviour = async (code, messages, context) => {
      await new Promise(resolve => setTimeout(resolve, 20));
      return dictionaryTranslator(code, messages, context);
    };

    expectError(await get('/errors/controller'), 'object.id.notfound', {
      messages: DICTIONARY.fr!.codes['object.id.notfound'],
    });
  });

  const failures: [string, TranslateMessages, string][] = [
    [
      'throws',
      () => {
        throw new Error(`cannot say "${catalogueMessage('object.id.notfound')[0]}"`);
      },
      'translate threw Error',
    ],
    [
      'rejects',
      () => Promise.reject(new TypeError(`cannot say "${catalogueMessage('object.id.notfound')[0]}"`)),
      'translate rejected with TypeError',
    ],
    ['returns an empty list', () => [], 'translate returned messages of another shape'],
    ['returns a number', () => 42 as unknown as string[], 'translate returned messages of another shape'],
    ['returns fields for a list', () => ({ id: ['x'] }), 'translate returned messages of another shape'],
    [
      'resolves to a list of non-strings',
      () => Promise.resolve([1, 2] as unknown as string[]),
      'translate returned messages of another shape',
    ],
  ];

  it.each(failures)(
    'sends the untranslated messages when the translator %s, and logs why without them',
    async (_name, translator, reason) => {
      behaviour = translator;
      const res = await get('/errors/controller');

      expectError(res, 'object.id.notfound');
      const line = await running.logs.lineMatching(
        logged => logged.message.includes(res.json.error_id) && logged.message.startsWith('translate'),
      );
      expect(line.level).toBe('error');
      expect(line.message).toContain(reason);
      expect(line.message).toContain('404 object.id.notfound');
      expect(JSON.stringify(running.logs.lines)).not.toContain(catalogueMessage('object.id.notfound')[0]);
    },
  );

  it('sends validation fields untranslated when the translator renames or drops a field', async () => {
    behaviour = (_code, messages) => (Array.isArray(messages) ? messages : { renamed: ['x'] });
    const res = await get('/validation/users', {
      method: 'POST',
      body: { first_name: 'Ada', email: 'nope', address: { city: 'Paris', postal_code: '75001' } },
    });

    expectError(res, 'request.validation.failed', { messages: { email: ['email must be an email'] } });
  });

  it('sends the untranslated messages once the bound has passed when an async translator is too slow', async () => {
    const timers: NodeJS.Timeout[] = [];
    behaviour = () => new Promise(resolve => timers.push(setTimeout(resolve, 5000, ['trop tard'])));
    const started = Date.now();
    const res = await get('/errors/controller');
    const elapsed = Date.now() - started;
    timers.forEach(clearTimeout);

    expectError(res, 'object.id.notfound');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    const line = await running.logs.lineMatching(
      logged => logged.message.includes(res.json.error_id) && logged.message.startsWith('translate'),
    );
    expect(line.message).toContain('translate took more than 200 ms');
  });

  it.each([
    ['10 kB long', `${'de-DE;q=0.1, '.repeat(800)}fr`, ['de-DE']],
    ['full of tabs and bytes beyond ASCII', '\t\u00e9\u00ff;q=1, fr\t;q=\u00e90.5, \u00ff\u00fe', []],
    [
      'a list of 1,000 tags',
      Array.from({ length: 1000 }, (_, i) => `fr-x${i}`).join(','),
      Array.from({ length: 16 }, (_, i) => `fr-x${i}`),
    ],
  ] as [string, string, string[]][])(
    'answers a hostile Accept-Language (%s) after bounded parsing',
    async (_name, header, languages) => {
      const res = await get('/errors/controller', { headers: { 'accept-language': header } });

      expect(res.status).toBe(404);
      expect(calls.map(call => call.context.languages)).toEqual([languages]);
      expectError(
        res,
        'object.id.notfound',
        languages[0]?.startsWith('fr') === true ? { messages: DICTIONARY.fr!.codes['object.id.notfound'] } : {},
      );
    },
  );
});

describe.each(ADAPTERS)('translate and control characters on %s', (adapter: AdapterName) => {
  it.each(['fr\u0001de, en', 'fr\u0000', '\u001b[31mfr', 'fr\u007f'])(
    'leaves Accept-Language %j to Node’s parser, which refuses it before the translator is called',
    async value => {
      let calls = 0;
      const running = await startFixture(adapter, { translate: (_code, messages) => (calls++, messages) });
      try {
        const head = `GET /errors/controller HTTP/1.1\r\nHost: x\r\nAccept-Language: ${value}\r\nConnection: close\r\n\r\n`;
        const text = await new Promise<string>((resolve, reject) => {
          const socket = connect(Number(new URL(running.baseUrl).port), '127.0.0.1', () => socket.end(head, 'latin1'));
          let out = '';
          socket.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
          socket.on('error', reject);
          socket.on('close', () => resolve(out));
        });

        expect(text.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
        expect(JSON.parse(text.slice(text.indexOf('{'))).error_code).toBe('request.failed');
        expect(calls).toBe(0);
      } finally {
        await running.close();
      }
    },
  );
});

describe('parseAcceptLanguage', () => {
  it('orders by q, then as sent, and drops q=0, malformed weights and tags that are not tags', () => {
    expect(parseAcceptLanguage('en;q=0.8, fr-CH, fr;q=0.9, de;q=0, *;q=0.1, x y, it;q=2, es;q=0.80')).toEqual([
      'fr-CH',
      'fr',
      'en',
      'es',
      '*',
    ]);
  });

  it('reads a megabyte header in bounded time and keeps at most 16 tags', () => {
    const header = `${Array.from({ length: 100_000 }, (_, i) => `ab-c${i};q=0.5`).join(',')}\u0001`;
    const started = process.hrtime.bigint();
    const languages = parseAcceptLanguage(header);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

    expect(languages.length).toBeLessThanOrEqual(16);
    expect(elapsedMs).toBeLessThan(50);
  });

  it('gives nothing for a missing, empty or non-string header', () => {
    expect([undefined, '', ['fr']].map(parseAcceptLanguage)).toEqual([[], [], []]);
  });
});

describe.each(ADAPTERS)('translate with the default bound on %s', (adapter: AdapterName) => {
  it('waits 1 s for an async translator, then sends the untranslated messages', async () => {
    let timer: NodeJS.Timeout | undefined;
    const running = await startFixture(adapter, {
      translate: () => new Promise(resolve => (timer = setTimeout(resolve, 5000, ['trop tard']))),
    });
    try {
      const started = Date.now();
      const res = await send(running.baseUrl, '/errors/controller', { headers: { 'accept-language': FRENCH } });
      const elapsed = Date.now() - started;

      expectError(res, 'object.id.notfound');
      expect(elapsed).toBeGreaterThanOrEqual(990);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      clearTimeout(timer);
      await running.close();
    }
  });
});

describe('translate options', () => {
  it.each([
    [{ translate: 'fr' }, 'translate is not a function'],
    [{ translateTimeout: 0 }, 'translateTimeout is not a whole number of milliseconds'],
    [{ translateTimeout: 1.5 }, 'translateTimeout is not a whole number of milliseconds'],
  ])('refuses %j at start-up', (options, message) => {
    expect(() => translateOptions(options)).toThrow(message);
  });

  it('defaults to no translator and a 1,000 ms bound', () => {
    expect(translateOptions({})).toEqual({ translate: undefined, translateTimeout: DEFAULT_TRANSLATE_TIMEOUT_MS });
    expect(DEFAULT_TRANSLATE_TIMEOUT_MS).toBe(1000);
  });
});
