import { ConsoleLogger } from '@nestjs/common';
import type { HttpServer, Logger, LoggerService } from '@nestjs/common';
import type { ClientErrorLogLevel } from '../api-errors-options.interface.js';
import { describeFault } from './error-log-line.js';
import type { ResolvedError } from './resolved-error.interface.js';

/** The fields of an error's log entry: data, so that a JSON logger can index and query them. */
export interface ErrorLogFields {
  error_id: string;
  error_code: string;
  status: number;
  /** Absent for a request Node's HTTP parser refused, which has no method or path to give. */
  method?: string;
  /** The path only: the query string may hold secrets (tokens, passwords) and is never logged. */
  path?: string;
}

export interface ErrorLogEntry {
  /** The same fields as one readable sentence: `404 request.route.notfound error_id=… GET /x`. */
  message: string;
  fields: ErrorLogFields;
  /** For a 5xx: the stack of the error and of its causes. */
  stack?: string;
}

/** The log entry of one error; `request` is `undefined` for a request Node's parser refused. */
export function errorLogEntry(
  exception: unknown,
  error: ResolvedError,
  errorId: string,
  request: unknown,
  adapter: HttpServer | undefined,
): ErrorLogEntry {
  const fields: ErrorLogFields = { error_id: errorId, error_code: error.code, status: error.status };
  let where = '';
  const target = methodAndPath(request, adapter);
  if (target !== undefined) {
    fields.method = target.method;
    fields.path = target.path;
    where = ` ${target.method} ${target.path}`;
  }
  const message = `${error.status} ${error.code} error_id=${errorId}${where}`;
  return error.status >= 500 ? { message, fields, stack: describeFault(exception) } : { message, fields };
}

/**
 * Writes the entry through `logger` in the form the logger behind it renders as fields. Nest's
 * `ConsoleLogger` (the default) in JSON mode takes a plain object after the message as its `params` and a
 * stack before it as its `stack`; in text mode it would print that object again after the sentence, which
 * already says it all, so it gets the sentence (and the stack) alone, as before: the same line, and no
 * `util.inspect()` per logged 4xx. Other loggers (nestjs-pino, nest-winston and the like) merge the fields
 * of an object given as the message, and drop or mangle extra arguments: they get one object, the
 * sentence as `msg`. So does `ConsoleLogger` in JSON mode on Nest 11, which has no `params`.
 */
export function writeErrorLogEntry(logger: Logger, level: ClientErrorLogLevel | 'error', entry: ErrorLogEntry): void {
  const target = underlyingLogger(logger);
  // `options` is protected in Nest's types; `json` is what decides between the two outputs.
  const json = target instanceof ConsoleLogger && (target as unknown as ConsoleInternals).options?.json === true;
  if (target instanceof ConsoleLogger && (!json || CONSOLE_LOGGER_HAS_PARAMS)) {
    const stack: unknown[] = entry.stack === undefined ? [] : [entry.stack];
    logger[level](entry.message, ...stack, ...(json ? [entry.fields] : []));
    return;
  }
  logger[level]({ msg: entry.message, ...entry.fields, ...(entry.stack === undefined ? {} : { stack: entry.stack }) });
}

interface ConsoleInternals {
  options?: { json?: boolean };
}

/**
 * Whether `ConsoleLogger`'s JSON mode keeps a trailing object as the line's `params` (Nest 12). Nest 11's
 * prints each argument as a line of its own: there the entry goes as one object, like to other loggers.
 */
export const CONSOLE_LOGGER_HAS_PARAMS =
  typeof (ConsoleLogger.prototype as unknown as { stringifyParams?: unknown }).stringifyParams === 'function';

/** The logger Nest's `Logger` writes to: the app's (`useLogger()`), or the default `ConsoleLogger`. */
function underlyingLogger(logger: Logger): LoggerService | undefined {
  // `localInstance` is protected in Nest's types, but it is what every call of `logger` goes to.
  return (logger as unknown as { localInstance?: LoggerService }).localInstance;
}

function methodAndPath(
  request: unknown,
  adapter: HttpServer | undefined,
): { method: string; path: string } | undefined {
  if (adapter === undefined || request === undefined) {
    return undefined;
  }
  try {
    const url = String(adapter.getRequestUrl?.(request));
    const queryAt = url.indexOf('?');
    return { method: String(adapter.getRequestMethod?.(request)), path: queryAt === -1 ? url : url.slice(0, queryAt) };
  } catch {
    return undefined;
  }
}
