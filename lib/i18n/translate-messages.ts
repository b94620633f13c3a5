import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorMessages } from '../exceptions/api-error-messages.js';
import { setField } from '../exceptions/api-error-messages.js';
import type { ResolvedError } from '../filter/resolved-error.interface.js';
import { parseAcceptLanguage } from './accept-language.js';

/** What a `translate` function knows of the answer besides its code and messages. */
export interface TranslateContext {
  /** The request's `Accept-Language` header as sent, or `undefined`. */
  acceptLanguage: string | undefined;
  /** Its language tags, best first, `q=0` ones left out (`fr-CH, fr;q=0.9` → `['fr-CH', 'fr']`). */
  languages: readonly string[];
  /** The HTTP status of the answer (never changed by the translation). */
  status: number;
  /** The request, as the HTTP adapter gives it (Express's or Fastify's request object). */
  request: unknown;
}

/**
 * The `translate` option: the messages of an error answer in the client's language. Given a copy of the
 * messages (a list, or lists keyed by field), it returns messages of the same shape, or a promise of them.
 */
export type TranslateMessages = (
  code: string,
  messages: ApiErrorMessages,
  context: TranslateContext,
) => ApiErrorMessages | Promise<ApiErrorMessages>;

/** How long an answer waits for an async `translate` before it goes out untranslated. */
export const DEFAULT_TRANSLATE_TIMEOUT_MS = 1000;

/** Checks the `translate` and `translateTimeout` options (when the module starts). */
export function translateOptions(options: { translate?: unknown; translateTimeout?: unknown }): {
  translate: TranslateMessages | undefined;
  translateTimeout: number;
} {
  const { translate, translateTimeout = DEFAULT_TRANSLATE_TIMEOUT_MS } = options;
  if (translate !== undefined && typeof translate !== 'function') {
    throw ApiErrorsConfigurationError.create(
      'translate is not a function',
      'Give (code, messages, context) => messages, or leave the option out',
    );
  }
  if (typeof translateTimeout !== 'number' || !Number.isInteger(translateTimeout) || translateTimeout < 1) {
    throw ApiErrorsConfigurationError.create(
      'translateTimeout is not a whole number of milliseconds',
      `Give e.g. 500 (default ${DEFAULT_TRANSLATE_TIMEOUT_MS})`,
    );
  }
  return { translate: translate as TranslateMessages | undefined, translateTimeout };
}

/**
 * Applies the `translate` option to a resolved error. A sync translator gives a sync answer (no promise
 * per request); an async one is waited for `timeout` ms at most. Whatever goes wrong (a throw, a
 * rejection, a timeout, messages of another shape) sends the untranslated messages and is reported by
 * `onFailure` with a short reason that holds none of the messages.
 */
export function translateResolvedError(
  translate: TranslateMessages,
  timeout: number,
  error: ResolvedError,
  request: unknown,
  onFailure: (reason: string) => void,
): ResolvedError | Promise<ResolvedError> {
  const acceptLanguage = headerOf(request, 'accept-language');
  const context: TranslateContext = {
    acceptLanguage,
    languages: parseAcceptLanguage(acceptLanguage),
    status: error.status,
    request,
  };
  let result: unknown;
  try {
    result = translate(error.code, copyOf(error.messages), context);
  } catch (thrown) {
    onFailure(`threw ${nameOf(thrown)}`);
    return error;
  }
  if (!isThenable(result)) {
    return withMessages(error, result, onFailure);
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>(resolve => {
    timer = setTimeout(resolve, timeout, TIMED_OUT);
    timer.unref();
  });
  return Promise.race([Promise.resolve(result), late]).then(
    translated => {
      clearTimeout(timer);
      if (translated === TIMED_OUT) {
        onFailure(`took more than ${timeout} ms`);
        return error;
      }
      return withMessages(error, translated, onFailure);
    },
    (rejected: unknown) => {
      clearTimeout(timer);
      onFailure(`rejected with ${nameOf(rejected)}`);
      return error;
    },
  );
}

const TIMED_OUT = Symbol('timed out');

function withMessages(error: ResolvedError, translated: unknown, onFailure: (reason: string) => void): ResolvedError {
  if (!sameShape(error.messages, translated)) {
    onFailure('returned messages of another shape (a list of sentences, or the same fields)');
    return error;
  }
  return { ...error, messages: copyOf(translated) };
}

/** A non-empty list of non-empty strings. */
function isSentences(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every(item => typeof item === 'string' && item !== '');
}

/** The translation keeps the form of the original: a list stays a list, fields keep exactly their keys. */
function sameShape(original: ApiErrorMessages, translated: unknown): translated is ApiErrorMessages {
  if (Array.isArray(original)) {
    return isSentences(translated);
  }
  if (translated === null || typeof translated !== 'object' || Array.isArray(translated)) {
    return false;
  }
  const keys = Object.keys(original);
  const translatedKeys = Object.keys(translated);
  return (
    keys.length === translatedKeys.length &&
    keys.every(key => Object.hasOwn(translated, key) && isSentences((translated as Record<string, unknown>)[key]))
  );
}

/** A copy, so that a translator that edits what it is given cannot change the untranslated fallback. */
function copyOf(messages: ApiErrorMessages): ApiErrorMessages {
  if (Array.isArray(messages)) {
    return [...messages];
  }
  const copy: Record<string, string[]> = {};
  for (const key of Object.keys(messages)) {
    setField(copy, key, [...(messages[key] as string[])]);
  }
  return copy;
}

function headerOf(request: unknown, name: string): string | undefined {
  const headers = (request as { headers?: Record<string, unknown> } | undefined)?.headers;
  const value = headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The class of what was thrown: its message could quote the messages, which the log must not hold. */
function nameOf(thrown: unknown): string {
  if (thrown instanceof Error) {
    return thrown.constructor.name;
  }
  return thrown === null ? 'null' : typeof thrown;
}
