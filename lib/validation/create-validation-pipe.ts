import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { builtInError } from '../catalogue/api-error-catalogue.js';
import { ApiException } from '../exceptions/api.exception.js';
import { RequestValidationFailedException } from '../exceptions/contract.exceptions.js';
import { validationErrorsToMessages } from './validation-errors-to-messages.js';

/** What Nest's `ValidationPipe` says when a whole body, query or param object is not an object. */
const OBJECT_EXPECTED = 'isObject';

/**
 * How deep a body, query or params object may nest before it is refused unread: class-transformer and
 * class-validator walk it recursively, and a 10,000-level JSON body would overflow the stack (a 500).
 */
export const MAX_NESTING_DEPTH = 64;

/** Said for a value nested deeper than `MAX_NESTING_DEPTH`. */
export const TOO_DEEP_MESSAGE = `Request data is nested more than ${MAX_NESTING_DEPTH} levels deep.`;

/** Said in place of the fields that `maxErrorMessagesLength` cut off, under the key `...`, as Nest does. */
const OMITTED_KEY = '...';

/**
 * Nest's `ValidationPipe` whose failures are 422 `request.validation.failed`, with `messages` keyed by
 * the request's JSON field names. Every `ValidationPipeOptions` option keeps its meaning: an
 * `exceptionFactory` of yours replaces this one, `disableErrorMessages` sends the code's default
 * message only, `errorHttpStatusCode` changes the status (the code stays).
 */
export class ApiValidationPipe extends ValidationPipe {
  readonly #usesOwnFactory: boolean;
  readonly #status: number | undefined;

  constructor(options: ValidationPipeOptions = {}) {
    super(options);
    this.#usesOwnFactory = options.exceptionFactory === undefined;
    this.#status = options.errorHttpStatusCode;
    if (this.#usesOwnFactory) {
      this.exceptionFactory = errors => this.toException(errors);
    }
  }

  /** Refuses a value nested too deeply for the recursive transform and validation that follow. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      typeof value === 'object' &&
      value !== null &&
      this.toValidate(metadata) &&
      isNestedDeeperThan(value, MAX_NESTING_DEPTH)
    ) {
      return Promise.reject(this.create([TOO_DEEP_MESSAGE]));
    }
    return super.transform(value, metadata);
  }

  /** Keeps the target of each error (never sent) so that `@Expose({ name })` can be read for it. */
  protected override validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    if (!this.#usesOwnFactory) {
      return super.validate(object, validatorOptions);
    }
    return super.validate(object, {
      ...validatorOptions,
      validationError: { ...validatorOptions?.validationError, target: true },
    });
  }

  /** The exception for a failed validation. Override it to change what clients get. */
  protected toException(errors: ValidationError[]): ApiException {
    if (this.isDetailedOutputDisabled === true) {
      return this.create(undefined);
    }
    const [first] = errors;
    if (
      errors.length === 1 &&
      first !== undefined &&
      first.target === undefined &&
      first.constraints?.[OBJECT_EXPECTED] !== undefined
    ) {
      return this.create([first.constraints[OBJECT_EXPECTED]]);
    }
    const budget = { remaining: this.maxErrorMessagesLength, isExceeded: false };
    const messages = validationErrorsToMessages(this.limitValidationErrors(errors, budget));
    if (budget.isExceeded) {
      messages[OMITTED_KEY] = ['Further validation errors were omitted'];
    }
    return this.create(Object.keys(messages).length > 0 ? messages : undefined);
  }

  private create(messages: string[] | Record<string, string[]> | undefined): ApiException {
    return this.#status === undefined || this.#status === 422
      ? new RequestValidationFailedException(messages)
      : new ApiException({ ...builtInError('request.validation.failed'), status: this.#status }, messages);
  }
}

/** Whether `value` nests deeper than `limit` objects or arrays; without recursion, so any depth is safe. */
function isNestedDeeperThan(value: object, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (depth > limit) {
      return true;
    }
    for (const key in current as Record<string, unknown>) {
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

/**
 * Nest's `ValidationPipe`, speaking the contract: a failure is 422 `request.validation.failed` with
 * every message of every field, keyed by the JSON field names the client sent.
 *
 * @example
 * app.useGlobalPipes(createValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
 * // or, to let the pipe inject: { provide: APP_PIPE, useFactory: () => createValidationPipe({ whitelist: true }) }
 */
export function createValidationPipe(options?: ValidationPipeOptions): ApiValidationPipe {
  return new ApiValidationPipe(options);
}
