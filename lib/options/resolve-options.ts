import { randomUUID } from 'node:crypto';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import {
  DEFAULT_ACCEPTED_MEDIA_TYPES,
  DEFAULT_API_KEY_HEADER,
  DEFAULT_ERROR_ID_HEADER,
} from '../api-errors.constants.js';
import type { ApiErrorsModuleOptions, ClientErrorLogLevel } from '../api-errors-options.interface.js';
import { ApiErrorCatalogue } from '../catalogue/define-api-errors.js';
import { resolveCriticalAuthSettings } from './critical-auth.options.js';
import { resolveHmacSignatureOptions, resolveJwtVerifierOptions } from './authorization-options.js';
import { apiKeyEntriesOption, resolveSiteverifyCaptchaOptions } from './guard-options.js';
import { collaboratorOption, docUrlOption, headerNameOption } from './option-checks.js';
import { translateOptions } from '../i18n/translate-messages.js';
import { problemDetailsOption } from './problem-details-options.js';
import { resolveObservabilityOptions } from '../reporting/observability-options.js';

/**
 * The module's options as the package uses them: every default applied and every value checked, once,
 * when the module starts. Collaborators given by the application are kept as they are.
 */
export type ResolvedApiErrorsOptions = ReturnType<typeof resolveApiErrorsOptions>;

const LOG_LEVELS: readonly (ClientErrorLogLevel | false)[] = ['log', 'warn', 'debug', 'verbose', false];
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
const STORE_METHODS = [
  'set',
  'setIfAbsent',
  'get',
  'getAndDelete',
  'deleteIfEquals',
  'increment',
  'delete',
  'ttlSeconds',
];

function booleanOption(path: string, value: unknown, fallback: boolean): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw ApiErrorsConfigurationError.create(
      `${path} is not a boolean`,
      `Give true or false (default ${String(fallback)})`,
    );
  }
  return value ?? fallback;
}

function functionOption<T>(path: string, value: unknown, fallback: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw ApiErrorsConfigurationError.create(
      `${path} is not a function`,
      'Give a function, or leave the option out for the default',
    );
  }
  return (value as T | undefined) ?? fallback;
}

/** The part of a section that says "my own collaborator", or the section's own options. */
function ownOr<O extends object, V>(
  section: O | { verifier: V } | undefined,
  path: string,
  methods: string[],
): { verifier: V } | O | undefined {
  if (section === undefined) {
    return undefined;
  }
  if (section === null || typeof section !== 'object') {
    throw ApiErrorsConfigurationError.create(
      `${path} is not an object`,
      `Give ${path}'s options, or { verifier } with your own`,
    );
  }
  if ('verifier' in section) {
    return { verifier: collaboratorOption<V>(`${path}.verifier`, section.verifier, methods) as V };
  }
  return section;
}

/** What the filter reads of the options, with defaults: also used when an application builds one itself. */
export function resolveFilterOptions(
  options: Pick<ApiErrorsModuleOptions, 'clientErrorLogLevel' | 'errorIdHeader' | 'generateErrorId' | 'docUrl'>,
) {
  if (!LOG_LEVELS.includes(options.clientErrorLogLevel ?? 'log')) {
    throw ApiErrorsConfigurationError.create(
      'clientErrorLogLevel is not a log level',
      "Give 'log', 'warn', 'debug', 'verbose' or false",
    );
  }
  return {
    clientErrorLogLevel: options.clientErrorLogLevel ?? ('log' as ClientErrorLogLevel | false),
    errorIdHeader:
      options.errorIdHeader === false
        ? (false as const)
        : headerNameOption('errorIdHeader', options.errorIdHeader, DEFAULT_ERROR_ID_HEADER),
    generateErrorId: functionOption<() => string>('generateErrorId', options.generateErrorId, randomUUID),
    docUrl: docUrlOption(options.docUrl),
  };
}

export function resolveApiErrorsOptions(options: ApiErrorsModuleOptions = {}) {
  if (options === null || typeof options !== 'object') {
    throw ApiErrorsConfigurationError.create(
      'the options are not an object',
      'Give ApiErrorsModule.forRoot({ … }), or nothing for the defaults',
    );
  }
  const { apiKey = {}, criticalAuth = {} } = options;
  const catalogues: unknown = options.catalogues ?? [];
  if (!Array.isArray(catalogues) || catalogues.some(catalogue => !(catalogue instanceof ApiErrorCatalogue))) {
    throw ApiErrorsConfigurationError.create(
      'catalogues is not a list of catalogues',
      'Give [defineApiErrors({ … }), …]',
    );
  }
  const mediaTypes: unknown = options.acceptedMediaTypes ?? DEFAULT_ACCEPTED_MEDIA_TYPES;
  if (
    mediaTypes !== false &&
    (!Array.isArray(mediaTypes) || mediaTypes.some(type => typeof type !== 'string' || !MEDIA_TYPE.test(type)))
  ) {
    throw ApiErrorsConfigurationError.create(
      'acceptedMediaTypes is not a list of media types',
      "Give e.g. ['application/json'], or false to accept any",
    );
  }
  const policy: unknown = criticalAuth.policy;
  if (policy !== undefined && typeof policy !== 'function') {
    collaboratorOption('criticalAuth.policy', policy, ['methodFor']);
  }
  if ((options as { filter?: unknown }).filter !== undefined) {
    throw ApiErrorsConfigurationError.create(
      'filter is in the options object, where it cannot add or remove the filter',
      'Give it beside the options: forRoot({ filter }) or forRootAsync({ filter, useFactory })',
    );
  }
  const bearer = ownOr(options.bearer, 'bearer', ['verify']);
  const signature = ownOr(options.signature, 'signature', ['verify']);
  const captcha = ownOr(options.captcha, 'captcha', ['verify']);
  return {
    successEnvelope: booleanOption('successEnvelope', options.successEnvelope, true),
    catalogues: catalogues as readonly ApiErrorCatalogue[],
    problemDetails: problemDetailsOption(options.problemDetails, docUrlOption(options.docUrl)),
    methodNotAllowed: booleanOption('methodNotAllowed', options.methodNotAllowed, false),
    ...resolveFilterOptions(options),
    ...translateOptions(options),
    acceptedMediaTypes: mediaTypes as readonly string[] | false,
    apiKey: {
      header: headerNameOption('apiKey.header', apiKey.header, DEFAULT_API_KEY_HEADER),
      keys: apiKeyEntriesOption('apiKey.keys', apiKey.keys),
      validator: collaboratorOption<NonNullable<typeof apiKey.validator>>('apiKey.validator', apiKey.validator, [
        'validate',
      ]),
    },
    bearer: bearer === undefined || 'verifier' in bearer ? bearer : resolveJwtVerifierOptions(bearer),
    signature: signature === undefined || 'verifier' in signature ? signature : resolveHmacSignatureOptions(signature),
    captcha: captcha === undefined || 'verifier' in captcha ? captcha : resolveSiteverifyCaptchaOptions(captcha),
    criticalAuth: {
      ...resolveCriticalAuthSettings(criticalAuth),
      policy: criticalAuth.policy,
      passwordVerifier: collaboratorOption<NonNullable<typeof criticalAuth.passwordVerifier>>(
        'criticalAuth.passwordVerifier',
        criticalAuth.passwordVerifier,
        ['verify'],
      ),
      otpSender: collaboratorOption<NonNullable<typeof criticalAuth.otpSender>>(
        'criticalAuth.otpSender',
        criticalAuth.otpSender,
        ['send'],
      ),
    },
    store: collaboratorOption<NonNullable<ApiErrorsModuleOptions['store']>>('store', options.store, STORE_METHODS),
    ...resolveObservabilityOptions(options),
  };
}
