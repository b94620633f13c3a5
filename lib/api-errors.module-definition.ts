import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApiErrorsModuleExtras, ApiErrorsModuleOptions } from './api-errors-options.interface.js';

export const {
  ConfigurableModuleClass: ApiErrorsConfigurableModule,
  MODULE_OPTIONS_TOKEN: API_ERRORS_MODULE_OPTIONS,
  OPTIONS_TYPE: API_ERRORS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: API_ERRORS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ApiErrorsModuleOptions>({ moduleName: 'ApiErrors' })
  .setClassMethodName('forRoot')
  .setExtras<ApiErrorsModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
