import { Catch, Inject, Logger, Module } from '@nestjs/common';
import type { ExceptionFilter, NestModule, OnModuleInit, Provider } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
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
import { guardExports, guardProviders } from './guards/guard.providers.js';
import { API_ERRORS_LOGGER_CONTEXT } from './api-errors.constants.js';
import { acceptedMediaTypes } from './media-type/accepted-media-types.middleware.js';
import { connectFastifyFrameworkErrors } from './adapters/fastify.js';
import { listenForClientErrors } from './adapters/client-error.js';

/** Never thrown: a filter that catches only this never runs, and Nest's own filter answers. */
class NeverThrown {}

/** Stands in for the filter when `filter: false`. */
@Catch(NeverThrown)
class DisabledApiErrorsFilter implements ExceptionFilter {
  catch(): void {}
}

const providers: Provider[] = [
  {
    provide: ApiErrorRegistry,
    inject: [RESOLVED_OPTIONS],
    useFactory: (options: ResolvedApiErrorsOptions) => new ApiErrorRegistry(options.catalogues),
  },
  {
    provide: APP_FILTER,
    inject: [RESOLVED_OPTIONS, HttpAdapterHost, ApiErrorRegistry],
    useFactory: (options: ResolvedApiErrorsOptions, adapterHost: HttpAdapterHost, registry: ApiErrorRegistry) =>
      options.filter ? new ApiErrorsFilter(options, adapterHost, registry) : new DisabledApiErrorsFilter(),
  },
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
@Module({ providers, exports: [ApiErrorRegistry, API_ERRORS_MODULE_OPTIONS, ...guardExports] })
export class ApiErrorsModule extends ApiErrorsConfigurableModule implements NestModule, OnModuleInit {
  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedApiErrorsOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: ApiErrorRegistry,
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
    if (this.options.filter && adapter !== undefined) {
      const filter = new ApiErrorsFilter(this.options, this.adapterHost, this.registry);
      if (adapter.getType() === 'fastify') {
        // Fastify's router and its client-error handler answer before any filter: see apiErrorsFastifyOptions().
        connectFastifyFrameworkErrors(adapter, filter, new Logger(API_ERRORS_LOGGER_CONTEXT));
      } else {
        // What Node's HTTP parser refuses reaches no framework: answered on the socket.
        listenForClientErrors(adapter.getHttpServer(), filter);
      }
    }
  }
}
