import type { ApiErrorCatalogue } from './catalogue/define-api-errors.js';

/** Log levels a 4xx error may be logged at. */
export type ClientErrorLogLevel = 'log' | 'warn' | 'debug' | 'verbose';

/** Options of `ApiErrorsModule.forRoot()` / `forRootAsync()`. Every one has a default. */
export interface ApiErrorsModuleOptions {
  /**
   * Register the global exception filter that turns every failure into the error envelope. Off, Nest's
   * own filter answers, but `ApiException`s still carry their code in `errorCode`.
   * @default true
   */
  filter?: boolean;

  /**
   * Add `status: "success"` to successful JSON bodies (arrays, primitives and `null` go under `data`).
   * Routes opt out with `@SkipSuccessEnvelope()`.
   * @default true
   */
  successEnvelope?: boolean;

  /**
   * The application's own codes, made with `defineApiErrors()`. A code defined twice stops the
   * start-up with a message that names it.
   * @default []
   */
  catalogues?: readonly ApiErrorCatalogue[];

  /**
   * Level at which 4xx errors are logged, or `false` not to log them. 5xx errors are always logged at
   * `error` level, with their stack.
   * @default 'log'
   */
  clientErrorLogLevel?: ClientErrorLogLevel | false;

  /**
   * Response header that carries the error id, or `false` to send none (the body always has it).
   * @default 'X-Error-Id'
   */
  errorIdHeader?: string | false;

  /**
   * Makes the id of each error response. It must be unique and unguessable.
   * @default crypto.randomUUID
   */
  generateErrorId?: () => string;

  /**
   * Media types of request bodies the Express adapter accepts; a body of another type is answered
   * with 415 `request.mediatype.unsupported`, as Fastify does by itself for types it has no parser for.
   * Parameters (`; charset=…`) are ignored here; body-parser checks the charset. `false` accepts any.
   * @default ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
   */
  acceptedMediaTypes?: readonly string[] | false;
}

/** Extras of the dynamic module, kept out of the injected options. */
export interface ApiErrorsModuleExtras {
  /**
   * Make the module's providers (guards' collaborators, the registry) injectable everywhere.
   * The filter is global either way.
   * @default true
   */
  isGlobal?: boolean;
}
