import type { ApiErrorsModuleOptions } from '../api-errors-options.interface.js';

/**
 * What `ApiErrorsFilter` reads of the module's options (`clientErrorLogLevel`, `errorIdHeader`,
 * `generateErrorId`, `docUrl`, `problemDetails`, `translate`, `translateTimeout`), and its injection token: `ApiErrorsModule`
 * provides it, every default applied, so a subclass's constructor receives it by its type, with no `@Inject()`.
 */
export abstract class ApiErrorsFilterOptions implements Pick<
  ApiErrorsModuleOptions,
  | 'clientErrorLogLevel'
  | 'errorIdHeader'
  | 'generateErrorId'
  | 'docUrl'
  | 'problemDetails'
  | 'translate'
  | 'translateTimeout'
> {
  declare readonly clientErrorLogLevel?: ApiErrorsModuleOptions['clientErrorLogLevel'];
  declare readonly errorIdHeader?: ApiErrorsModuleOptions['errorIdHeader'];
  declare readonly generateErrorId?: ApiErrorsModuleOptions['generateErrorId'];
  declare readonly docUrl?: ApiErrorsModuleOptions['docUrl'];
  declare readonly problemDetails?: ApiErrorsModuleOptions['problemDetails'];
  declare readonly translate?: ApiErrorsModuleOptions['translate'];
  declare readonly translateTimeout?: ApiErrorsModuleOptions['translateTimeout'];
}
