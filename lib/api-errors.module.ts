import { Inject, Logger, Module, Optional } from '@nestjs/common';
import type { NestModule, OnModuleInit, Provider } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { RESOLVED_OPTIONS, type ResolvedApiErrorsOptions } from './options/resolved-options.provider.js';
import {
  API_ERRORS_ASYNC_OPTIONS_TYPE,
  API_ERRORS_MODULE_OPTIONS,
  API_ERRORS_OPTIONS_TYPE,
  ApiErrorsConfigurableModule,
} from './api-errors.module-definition.js';
import { ApiErrorRegistry } from './catalogue/api-error-registry.js';
import { SkipSuccessEnvelopeInterceptor } from './envelope/skip-success-envelope.decorator.js';
import { installSuccessEnvelope } from './envelope/success-envelope.js';
import { ApiErrorsFilter } from './filter/api-errors.filter.js';
import { ApiErrorsFilterOptions } from './filter/api-errors-filter-options.js';
import { guardExports, guardProviders } from './guards/guard.providers.js';
import { API_ERRORS_LOGGER_CONTEXT } from './api-errors.constants.js';
import { acceptedMediaTypes } from './media-type/accepted-media-types.middleware.js';
import { connectFastifyFrameworkErrors } from './adapters/fastify.js';
import { listenForClientErrors } from './adapters/client-error.js';
import { wrapRouterHooks } from './adapters/router-hooks.js';
import type { ErrorObservability } from './reporting/error-observability.js';
import { injectedReporters } from './reporting/injected-reporters.js';

// The filter itself (and its APP_FILTER) is added by forRoot()/forRootAsync(), unless `filter: false`:
// see apiErrorsFilterProviders().
const providers: Provider[] = [
  {
    provide: ApiErrorRegistry,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions) => new ApiErrorRegistry(options.catalogues),
  },
  { provide: ApiErrorsFilterOptions, useExisting: RESOLVED_OPTIONS },
  SkipSuccessEnvelopeInterceptor,
  ...guardProviders,
];

/**
 * Makes a NestJS application speak the error contract: a global filter that turns every failure into
 * the error envelope, the success envelope on successful JSON bodies, and, on Express, 415 for bodies
 * of media types the API does not read.
 *
 * @example
 * @Module({ imports: [ApiErrorsModule.forRoot()] })
 * export class AppModule {}
 */
@Module({ providers, exports: [ApiErrorRegistry, API_ERRORS_MODULE_OPTIONS, ApiErrorsFilterOptions, ...guardExports] })
export class ApiErrorsModule extends ApiErrorsConfigurableModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(ApiErrorsFilter) private readonly filter: ApiErrorsFilter | undefined,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  /** Registers the module; every option has a default, so `forRoot()` alone is enough. */
  static override forRoot(options: typeof API_ERRORS_OPTIONS_TYPE = {}) {
    return super.forRoot(options);
  }

  /** Registers the module with options from a factory, a class or an existing provider. */
  static override forRootAsync(options: typeof API_ERRORS_ASYNC_OPTIONS_TYPE) {
    return super.forRootAsync(options);
  }

  /**
   * Nest calls this while it sets up middleware, after the body parsers and before any route: the
   * place for the Express media-type check (see `acceptedMediaTypes`).
   */
  configure(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (this.options.acceptedMediaTypes !== false && adapter?.getType() === 'express') {
      adapter.use(acceptedMediaTypes(this.options.acceptedMediaTypes));
    }
  }

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (this.options.successEnvelope && adapter !== undefined) {
      installSuccessEnvelope(adapter);
    }
    if (this.filter !== undefined) {
      // The providers registered under API_ERROR_REPORTER in any module, after the `reporters` option's.
      (this.filter as unknown as { readonly observability: ErrorObservability }).observability.addReporters(
        injectedReporters(this.moduleRef),
      );
    }
    if (this.filter !== undefined && adapter !== undefined) {
      // The instance that serves APP_FILTER answers these too.
      wrapRouterHooks(adapter, this.filter, { methodNotAllowed: this.options.methodNotAllowed });
      if (adapter.getType() === 'fastify') {
        // Fastify's router and its client-error handler answer before any filter: see apiErrorsFastifyOptions().
        connectFastifyFrameworkErrors(adapter, this.filter, new Logger(API_ERRORS_LOGGER_CONTEXT));
      } else {
        // What Node's HTTP parser refuses reaches no framework: answered on the socket.
        listenForClientErrors(adapter.getHttpServer(), this.filter);
      }
    }
  }
}
