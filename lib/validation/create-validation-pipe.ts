import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { builtInError } from '../catalogue/api-error-catalogue.js';
import { setField } from '../exceptions/api-error-messages.js';
import { ApiException } from '../exceptions/api.exception.js';
import { RequestValidationFailedException } from '../exceptions/contract.exceptions.js';
import { jsonFieldName, withJsonFieldName } from './json-field-names.js';

/**
 * How deep a body, query or params object may nest before it is refused unread: class-transformer and
 * class-validator walk it recursively, and a 10,000-level JSON body would overflow the stack (a 500).
 */
export const MAX_NESTING_DEPTH = 64;

/** Said for a value nested deeper than `MAX_NESTING_DEPTH`. */
export const TOO_DEEP_MESSAGE = `Request data is nested more than ${MAX_NESTING_DEPTH} levels deep.`;

/** What Nest's `ValidationPipe` says when a whole body, query or param object is not an object. */
const OBJECT_EXPECTED = 'isObject';

/** Said in place of the fields that `maxErrorMessagesLength` cut off, under the key `...`, as Nest does. */
const OMITTED_KEY = '...';
const OMITTED_MESSAGE = 'Further validation errors were omitted';

/** The messages of a failed validation: field → sentences, or sentences about the whole value. */
type ValidationMessages = string[] | Record<string, string[]>;

/**
 * Nest's `ValidationPipe` whose failures are 422 `request.validation.failed`, with `messages` keyed by
 * the request's JSON field names. Every `ValidationPipeOptions` option keeps its meaning: an
 * `exceptionFactory` of yours replaces this one, `disableErrorMessages` sends the code's default
 * message only, `errorHttpStatusCode` changes the status (the code stays).
 *
 * Built on `ValidationPipe`'s own hooks: `createExceptionFactory()` makes the contract's exception
 * (`toException()`), and `groupValidationErrors()` (Nest's `errorFormat: 'grouped'`) keys the messages
 * by JSON field name. Override `toException()` to change what clients get.
 */
export class ApiValidationPipe extends ValidationPipe {
  /** The status of a failure: `errorHttpStatusCode`, or the code's own 422. */
  protected readonly failureStatus: number;
  /** Whether failures are the contract's (`toException()`), not those of an `exceptionFactory` option. */
  protected readonly usesContractExceptions: boolean;

  constructor(options: ValidationPipeOptions = {}) {
    super(options);
    this.failureStatus = options.errorHttpStatusCode ?? builtInError('request.validation.failed').status;
    this.usesContractExceptions = options.exceptionFactory === undefined;
  }

  /** Refuses a value nested too deeply for the recursive transform and validation that follow. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      typeof value === 'object' &&
      value !== null &&
      this.toValidate(metadata) &&
      isNestedDeeperThan(value, MAX_NESTING_DEPTH)
    ) {
      return Promise.reject(this.createException([TOO_DEEP_MESSAGE]));
    }
    return super.transform(value, metadata);
  }

  /** Nest's hook for the default `exceptionFactory`: the contract's exception (`toException()`). */
  override createExceptionFactory(): (errors?: ValidationError[]) => unknown {
    return (errors = []) => this.toException(errors);
  }

  /** Keeps the target of each error (never sent) so that `@Expose({ name })` can be read for it. */
  protected override validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> | ValidationError[] {
    if (!this.usesContractExceptions) {
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
      return this.createException(undefined);
    }
    const [first] = errors;
    if (
      errors.length === 1 &&
      first !== undefined &&
      first.target === undefined &&
      first.constraints?.[OBJECT_EXPECTED] !== undefined
    ) {
      return this.createException([first.constraints[OBJECT_EXPECTED]]);
    }
    const budget = { remaining: this.maxErrorMessagesLength, isExceeded: false };
    const messages = this.groupValidationErrors(this.limitValidationErrors(errors, budget));
    if (budget.isExceeded) {
      messages[OMITTED_KEY] = [OMITTED_MESSAGE];
    }
    return this.createException(Object.keys(messages).length > 0 ? messages : undefined);
  }

  /**
   * Every message of every failed field, keyed by the field's JSON name as the client sent it, with
   * dotted paths for nested objects and arrays (`address.city`, `items.0.sku`). Messages that start with
   * the property name (class-validator's defaults do) are reworded with the JSON name. No value the
   * client sent is repeated.
   */
  protected override groupValidationErrors(
    validationErrors: ValidationError[],
    parentPath?: string,
    result: Record<string, string[]> = {},
  ): Record<string, string[]> {
    for (const error of validationErrors) {
      const property = String(error.property);
      const name = jsonFieldName(error.target, property);
      const path = parentPath ? `${parentPath}.${name}` : name;
      if (error.constraints !== undefined) {
        const list = Object.values(error.constraints).map(message => withJsonFieldName(message, property, name));
        setField(result, path, [...(result[path] ?? []), ...list]);
      }
      if (error.children !== undefined && error.children.length > 0) {
        this.groupValidationErrors(error.children, path, result);
      }
    }
    return result;
  }

  /** The exception with these messages (the code's default when `undefined`) and the pipe's status. */
  protected createException(messages: ValidationMessages | undefined): ApiException {
    return this.failureStatus === builtInError('request.validation.failed').status
      ? new RequestValidationFailedException(messages)
      : new ApiException({ ...builtInError('request.validation.failed'), status: this.failureStatus }, messages);
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
