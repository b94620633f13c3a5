import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApiErrorsModuleExtras, ApiErrorsModuleOptions } from './api-errors-options.interface.js';
import { apiErrorsFilterProviders } from './filter/api-errors-filter.providers.js';

/**
 * `forRoot()` / `forRootAsync()` of `ApiErrorsModule`. The extras (`isGlobal`, `filter`) shape the
 * module itself, so they are read here, when it is registered, and never reach the injected options.
 */
export const {
  ConfigurableModuleClass: ApiErrorsConfigurableModule,
  MODULE_OPTIONS_TOKEN: API_ERRORS_MODULE_OPTIONS,
  OPTIONS_TYPE: API_ERRORS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: API_ERRORS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApiErrorsModuleOptions>({ moduleName: 'ApiErrors' })
  .setClassMethodName('forRoot')
  .setExtras<ApiErrorsModuleExtras>({ isGlobal: true, filter: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...apiErrorsFilterProviders(extras.filter)],
  }))
  .build();
