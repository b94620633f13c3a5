import { ValidationPipe } from '@nestjs/common';
import {
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { accessErrorCodes } from '../guards/access-checks.js';
import { API_ERROR_RESPONSES_METADATA } from '../internal.constants.js';
import { declaredErrorCodes } from './api-error-codes.decorator.js';

type Target = object;

/** The application's global guards, pipes and interceptors (instances or classes), which run on every route. */
export interface GlobalEnhancers {
  guards?: readonly unknown[];
  pipes?: readonly unknown[];
  interceptors?: readonly unknown[];
}

// Nest's RouteParamtypes BODY, QUERY and PARAM: the arguments a ValidationPipe validates
const VALIDATED_ARGUMENTS = new Set([3, 4, 5]);
// the types ValidationPipe leaves unvalidated (its own list)
const UNVALIDATED_TYPES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/**
 * The error codes a route can answer with, without repeats, in this order: those its access decorators
 * imply (`@RequireApiKey()`, `@RequireAuthorization()`, `@RequireCaptcha()`, `@RequireDisclaimers()`,
 * `@CriticalAuth()`, read from the table of access checks `ApiAccessGuard` runs); those its guards,
 * interceptors and pipes declare with `@ApiErrorCodes()` (global ones first); `request.validation.failed`
 * when a `ValidationPipe` validates a body, query or params class; then those listed with
 * `@ApiErrorResponses()` on the handler and its controller.
 */
export function routeErrorCodes(controller: Target, handler: Target, globals: GlobalEnhancers = {}): string[] {
  // the first of handler, controller that has the key, as the guard reads it
  const read = (key: symbol): unknown => {
    const onHandler: unknown = Reflect.getMetadata(key, handler);
    return onHandler !== undefined ? onHandler : Reflect.getMetadata(key, controller);
  };
  const listed = [
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, handler) as string[] | undefined) ?? []),
    ...((Reflect.getMetadata(API_ERROR_RESPONSES_METADATA, controller) as string[] | undefined) ?? []),
  ];
  const bound = (key: string, global: readonly unknown[] = []): unknown[] => [
    ...global,
    ...((Reflect.getMetadata(key, controller) as unknown[] | undefined) ?? []),
    ...((Reflect.getMetadata(key, handler) as unknown[] | undefined) ?? []),
  ];
  const guards = bound(GUARDS_METADATA, globals.guards);
  const interceptors = bound(INTERCEPTORS_METADATA, globals.interceptors);
  const pipes = bound(PIPES_METADATA, globals.pipes);
  const validated = validatedArguments(controller, handler);
  const validation = validated.some(({ pipes: own }) => [...pipes, ...own].some(isValidationPipe))
    ? ['request.validation.failed']
    : [];
  return [
    ...new Set([
      ...accessErrorCodes(read),
      ...[...guards, ...interceptors, ...pipes, ...validated.flatMap(({ pipes: own }) => own)].flatMap(
        declaredErrorCodes,
      ),
      ...validation,
      ...listed,
    ]),
  ];
}

/** The handler's `@Body()`, `@Query()` and `@Param()` arguments typed with a class, with their own pipes. */
function validatedArguments(controller: Target, handler: Target): { pipes: unknown[] }[] {
  const name = (handler as { name?: unknown }).name;
  if (typeof name !== 'string' || typeof controller !== 'function') {
    return [];
  }
  const prototype = (controller as { prototype: object }).prototype;
  const types = (Reflect.getMetadata('design:paramtypes', prototype, name) as unknown[] | undefined) ?? [];
  const args =
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) as
      Record<string, { index: number; pipes?: unknown[] }> | undefined) ?? {};
  return Object.entries(args)
    .filter(([key, { index }]) => {
      const type = types[index];
      return (
        VALIDATED_ARGUMENTS.has(Number(key.split(':')[0])) && typeof type === 'function' && !UNVALIDATED_TYPES.has(type)
      );
    })
    .map(([, { pipes }]) => ({ pipes: pipes ?? [] }));
}

function isValidationPipe(pipe: unknown): boolean {
  return (
    pipe instanceof ValidationPipe ||
    (typeof pipe === 'function' && (pipe === ValidationPipe || pipe.prototype instanceof ValidationPipe))
  );
}
