import type { ExecutionContext } from '@nestjs/common';
import type { GuardRequest } from '../../lib/guards/guard-request.js';

/** What a unit test says of a request; the rest is filled in as Express would. */
export interface FakeRequestInit {
  method?: string;
  url?: string;
  /** Header values by lower-case name; each becomes one raw header too. */
  headers?: Record<string, string>;
  /** The raw header list, when it must say more than `headers` (a header sent twice). */
  rawHeaders?: string[];
  body?: unknown;
  rawBody?: Buffer;
  ip?: string;
}

/** A request as the guards read it. */
export function fakeRequest(init: FakeRequestInit = {}): GuardRequest {
  const headers = init.headers ?? {};
  return {
    method: init.method ?? 'POST',
    url: init.url ?? '/things',
    headers,
    rawHeaders: init.rawHeaders ?? Object.entries(headers).flat(),
    body: init.body,
    rawBody: init.rawBody,
    ip: init.ip ?? '203.0.113.7',
  };
}

/** The HTTP execution context of `request` for `handler` of `controller`, as Nest gives it to a guard. */
export function guardContext(
  request: GuardRequest,
  handler: object = function handler(): void {},
  controller: object = class Controller {},
): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => controller,
    getArgs: () => [request],
    getArgByIndex: (index: number) => [request][index],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => undefined }),
  } as unknown as ExecutionContext;
}
