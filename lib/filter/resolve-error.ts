import { HttpException, NotFoundException } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { isAnsweringNotFound } from '../adapters/router-hooks.js';
import type { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { builtInError } from '../catalogue/api-error-catalogue.js';
import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import { VARIABLE_STATUS_CODES, codeForStatus, isErrorStatus } from '../catalogue/status-codes.js';
import { normalizeMessages, type ApiErrorMessages } from '../exceptions/api-error-messages.js';
import { ApiException } from '../exceptions/api.exception.js';
import { errorOfCode } from './error-of-code.js';
import { httpErrorStatus, resolveFrameworkError } from './framework-errors.js';
import type { ResolvedError } from './resolved-error.interface.js';

/**
 * Messages Nest (and @nestjs/throttler) put in their exceptions by default: they say nothing the
 * code's own message does not say better.
 */
const NEST_DEFAULT_MESSAGES = new Set([
  'Forbidden resource',
  'ThrottlerException: Too Many Requests',
  ...Object.values(STATUS_CODES),
]);

/**
 * Turns anything thrown while serving an HTTP request into the code, status and messages the client
 * gets (the table "What every failure becomes" in the README): an `ApiException` as it is, an
 * `HttpException` by its `errorCode` or its status, what the frameworks throw by the tables of
 * `framework-errors.ts`, anything else a server fault. Pure but for reading the request's method and
 * URL; never throws.
 */
export function resolveError(
  exception: unknown,
  request: unknown,
  adapter: HttpServer | undefined,
  registry: ApiErrorRegistry,
): ResolvedError {
  if (exception instanceof ApiException) {
    const status = exception.getStatus();
    return {
      status,
      code: exception.code,
      messages: status >= 500 ? defaultMessages(registry.get(exception.code)) : exception.messages,
      fields: exception.fields,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    return resolveHttpException(exception, request, adapter, registry);
  }
  return resolveFrameworkError(exception) ?? fromStatus(httpErrorStatus(exception) ?? 500, undefined);
}

function resolveHttpException(
  exception: HttpException,
  request: unknown,
  adapter: HttpServer | undefined,
  registry: ApiErrorRegistry,
): ResolvedError {
  const status = exception.getStatus();
  const known = exception.errorCode === undefined ? undefined : registry.get(exception.errorCode);
  if (known !== undefined) {
    const finalStatus = VARIABLE_STATUS_CODES.has(known.code) ? status : known.status;
    return {
      status: finalStatus,
      code: known.code,
      messages: finalStatus >= 500 ? defaultMessages(known) : (exceptionMessages(exception) ?? defaultMessages(known)),
      fields: {},
    };
  }
  const parserFailure = resolveFrameworkError(exception.cause);
  if (parserFailure !== undefined) {
    return parserFailure;
  }
  if (
    status === 404 &&
    exception instanceof NotFoundException &&
    (isAnsweringNotFound(request) || isRouteNotFound(exception, request, adapter))
  ) {
    return errorOfCode('request.route.notfound');
  }
  return fromStatus(status, exception);
}

/** An error status mapped by `codeForStatus()`; any other status is a 500. */
function fromStatus(status: number, exception: HttpException | undefined): ResolvedError {
  if (!isErrorStatus(status)) {
    return errorOfCode('server.internal.error');
  }
  const { code, keepsMessages } = codeForStatus(status);
  const messages = keepsMessages && exception !== undefined ? exceptionMessages(exception) : undefined;
  return errorOfCode(code, messages, VARIABLE_STATUS_CODES.has(code) ? status : undefined);
}

function defaultMessages(entry: ApiErrorEntry | undefined): ApiErrorMessages {
  return [entry?.message ?? builtInError('server.internal.error').message];
}

/**
 * The messages a foreign `HttpException` carries, when they say more than its status: a string, a list
 * (Nest's `ValidationPipe`), or fields (its `errorFormat: 'grouped'`).
 */
function exceptionMessages(exception: HttpException): ApiErrorMessages | undefined {
  const response = exception.getResponse();
  const raw =
    typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : response;
  if (typeof raw === 'string' && NEST_DEFAULT_MESSAGES.has(raw)) {
    return undefined;
  }
  return normalizeMessages(raw);
}

/**
 * Nest answers a request no route matches with `NotFoundException("Cannot <METHOD> <url>")` from its
 * router; a `NotFoundException` from application code is `object.id.notfound` instead. (The module's
 * router hook marks the request first; this is for a filter used without it.)
 */
function isRouteNotFound(exception: NotFoundException, request: unknown, adapter: HttpServer | undefined): boolean {
  if (adapter === undefined || request === undefined || exception.cause !== undefined) {
    return false;
  }
  try {
    return (
      exception.message ===
      `Cannot ${String(adapter.getRequestMethod?.(request))} ${String(adapter.getRequestUrl?.(request))}`
    );
  } catch {
    return false;
  }
}
