import { ValidationPipe } from '@nestjs/common';
import type { ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { builtInError } from '../catalogue/api-error-catalogue.js';
import { ApiException } from '../exceptions/api.exception.js';
import { RequestValidationFailedException } from '../exceptions/contract.exceptions.js';
import { validationErrorsToMessages } from './validation-errors-to-messages.js';

/** What Nest's `ValidationPipe` says when a whole body, query or param object is not an object. */
const OBJECT_EXPECTED = 'isObject';

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

  /** Keeps the target of each error (never sent) so that `@Expose({ name })` can be read for it. */
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (!this.#usesOwnFactory) {
      return super.validate(object, validatorOptions);
    }
    return super.validate(object, { ...validatorOptions, validationError: { ...validatorOptions?.validationError, target: true } });
  }

  /** The exception for a failed validation. Override it to change what clients get. */
  protected toException(errors: ValidationError[]): ApiException {
    if (this.isDetailedOutputDisabled === true) {
      return this.create(undefined);
    }
    const [first] = errors;
    if (errors.length === 1 && first !== undefined && first.target === undefined && first.constraints?.[OBJECT_EXPECTED] !== undefined) {
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
