import { processWide } from '../process-wide.js';
import type { GuardRequest } from './guard-request.js';
import type { ClientApplication, Principal } from './principal.interface.js';

/**
 * What the access checks established for one request: the client application of its API key
 * (`ApiKeyGuard`) and its principal (`AuthorizationGuard`). `@ClientApp()` and `@AuthPrincipal()` read
 * it; a guard, interceptor or handler that runs after them reads it with `requestAccess(request)`, and a
 * guard subclass that establishes them another way sets them here.
 */
export interface RequestAccess {
  client: ClientApplication | undefined;
  principal: Principal | undefined;
}

/** With the mark of `ApiAccessGuard`: its checks ran for this request already. */
interface AccessRecord extends RequestAccess {
  checked: boolean;
}

const KEY = Symbol.for('nestjs-api-errors.request-access');

/**
 * Where the records of requests that are not Fastify's live. Express changes the prototype of Node's
 * request object, after which each property added to it costs a new hidden class (measured at ~3 µs
 * a property, about 3 % of a small Express route); a `WeakMap` entry costs a tenth of that. Fastify's
 * request is built by its own constructor and takes a property cheaply, where a `WeakMap` costs more.
 * One map for both builds of the package (see `processWide`).
 */
const records = processWide('request-access-records', () => new WeakMap<object, AccessRecord>());

function emptyRecord(): AccessRecord {
  return { checked: false, client: undefined, principal: undefined };
}

/** The record of a request (made on first use): a property of a Fastify request, a `WeakMap` entry of any other. */
export function accessRecord(request: GuardRequest): AccessRecord {
  if (request.raw !== undefined) {
    return ((request[KEY] as AccessRecord | undefined) ??= emptyRecord());
  }
  let record = records.get(request);
  if (record === undefined) {
    record = emptyRecord();
    records.set(request, record);
  }
  return record;
}

/**
 * What the access checks established for a request (the request object of `switchToHttp().getRequest()`):
 * `client` and `principal`, `undefined` until the guard that establishes each has passed.
 */
export function requestAccess(request: object): RequestAccess {
  return accessRecord(request as GuardRequest);
}
