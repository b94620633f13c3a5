import type { Type } from '@nestjs/common';
import type { ApiErrorCatalogue } from './catalogue/define-api-errors.js';
import type { ApiErrorsFilter } from './filter/api-errors.filter.js';
import type { ApiKeyValidator } from './guards/api-key/api-key-validator.interface.js';
import type { ApiKeyEntry } from './guards/api-key/hashed-api-key.validator.js';
import type { HmacSignatureOptions } from './guards/authorization/hmac-signature.verifier.js';
import type { JwtVerifierOptions } from './guards/authorization/jwt-token.verifier.js';
import type { SignatureVerifier } from './guards/authorization/signature-verifier.interface.js';
import type { TokenVerifier } from './guards/authorization/token-verifier.interface.js';
import type { CaptchaVerifier } from './guards/captcha/captcha-verifier.interface.js';
import type { SiteverifyCaptchaOptions } from './guards/captcha/siteverify-captcha.verifier.js';
import type { ApiErrorsStore } from './stores/api-errors-store.interface.js';
import type { CriticalAuthMethod } from './exceptions/contract.exceptions.js';
import type { CriticalAuthSettings } from './options/critical-auth.options.js';
import type {
  CriticalAuthPolicy,
  OtpSender,
  PasswordVerifier,
} from './guards/critical-auth/critical-auth.interfaces.js';
import type { Principal } from './guards/principal.interface.js';
import type { TranslateMessages } from './i18n/translate-messages.js';
import type { ObservabilityOptions } from './reporting/observability-options.js';

/** Log levels a 4xx error may be logged at. */
export type ClientErrorLogLevel = 'log' | 'warn' | 'debug' | 'verbose';

/**
 * Options of `ApiErrorsModule.forRoot()` / `forRootAsync()`. Every one has a default. The reporters, the
 * request's own error id and OpenTelemetry are in `ObservabilityOptions` (docs/observability.md).
 */
export interface ApiErrorsModuleOptions extends ObservabilityOptions {
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
   * The page that documents each code, sent as `doc_url` in every error body: a template in which
   * `{code}` stands for the code, or a function of the code. It must give an absolute http(s) URL.
   * @example 'https://api.example.com/errors/{code}'
   * @default none (no `doc_url`)
   */
  docUrl?: string | ((code: string) => string);

  /**
   * Translates the messages of every error answered over HTTP, e.g. by the request's `Accept-Language`
   * (`context.languages`). Sync or async; codes, statuses and validation fields never change. A throw,
   * a rejection, a result of another shape or a late answer sends the untranslated messages
   * (docs/options.md, "Translated messages").
   * @default none (messages as thrown or as in the catalogue)
   */
  translate?: TranslateMessages;

  /**
   * How long an answer waits for an async `translate`, in milliseconds, before it goes out untranslated.
   * @default 1000
   */
  translateTimeout?: number;

  /**
   * Media types of request bodies the Express adapter accepts; a body of another type is answered
   * with 415 `request.mediatype.unsupported`, as Fastify does by itself for types it has no parser for.
   * Parameters (`; charset=…`) are ignored here; body-parser checks the charset. `false` accepts any.
   * @default ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']
   */
  acceptedMediaTypes?: readonly string[] | false;

  /**
   * Answer in RFC 9457's format (`application/problem+json`) the clients that ask for it in `Accept`;
   * every other client gets the envelope, unchanged. `type` is a URL template with `{code}`, or a
   * function of the code (docs/problem-details.md).
   * @default false (the envelope for every client); `type`: the `docUrl` page, else 'about:blank'
   */
  problemDetails?: boolean | { type?: string | ((code: string) => string) };

  /**
   * Answer 405 `request.method.notallowed`, with an `Allow` header, to a request whose path a route
   * serves with other methods (docs/problem-details.md).
   * @default false (404 `request.route.notfound`)
   */
  methodNotAllowed?: boolean;

  /** `ApiKeyGuard`: the accepted keys, or your own validator. */
  apiKey?: {
    /** Header that carries the key. @default 'X-Api-Key' */
    header?: string;
    /** Keys of the default validator, as SHA-256 hashes (or plain keys, hashed at start-up). */
    keys?: readonly ApiKeyEntry[];
    /** Your own lookup (a database, say); replaces `keys`. */
    validator?: ApiKeyValidator;
  };

  /** `AuthorizationGuard`, Bearer scheme: the JWT verifier's options, or your own verifier. */
  bearer?: JwtVerifierOptions | { verifier: TokenVerifier };

  /** `AuthorizationGuard`, Signature scheme: the signing keys, or your own verifier. */
  signature?: Omit<HmacSignatureOptions, 'now'> | { verifier: SignatureVerifier };

  /** `CaptchaGuard`: the provider and its secret, or your own verifier. */
  captcha?: SiteverifyCaptchaOptions | { verifier: CaptchaVerifier };

  /** `@CriticalAuth()`: how principals re-authenticate critical changes. */
  criticalAuth?: CriticalAuthSettings & {
    /**
     * Chooses `password` or `otp` per principal.
     * @default 'password' when a passwordVerifier is given, else 'otp'
     */
    policy?: CriticalAuthPolicy | ((principal: Principal) => CriticalAuthMethod | Promise<CriticalAuthMethod>);
    /** Checks current passwords. */
    passwordVerifier?: PasswordVerifier;
    /** Delivers one-time passwords (an SMS gateway). */
    otpSender?: OtpSender;
  };

  /**
   * Where nonces, one-time passwords and attempt counters live.
   * @default a `MemoryStore` (one process)
   */
  store?: ApiErrorsStore;
}

/** Extras of the dynamic module, kept out of the injected options. */
export interface ApiErrorsModuleExtras {
  /**
   * Make the module's providers (guards' collaborators, the registry) injectable everywhere.
   * The filter is global either way.
   * @default true
   */
  isGlobal?: boolean;

  /**
   * The global exception filter that turns every failure into the error envelope: `true` registers
   * `ApiErrorsFilter`, a subclass of it registers that class instead (see docs/filter.md), `false`
   * registers none (Nest's own filter answers, but `ApiException`s still carry their code in
   * `errorCode`). Given beside the options: `forRoot({ filter })`, `forRootAsync({ filter, useFactory })`.
   * @default true
   */
  filter?: boolean | Type<ApiErrorsFilter>;
}
