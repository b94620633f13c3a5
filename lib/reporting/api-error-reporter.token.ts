/**
 * Injection token of error reporters that are providers: register a class (or a value, a factory, an
 * existing provider) under it in any module of the application, as many as needed, and each instance is
 * called like the `reporters` option's entries, after them:
 *
 * @example
 * @Module({ providers: [{ provide: API_ERROR_REPORTER, useClass: SentryReporter }] })
 * export class ReportingModule {}
 *
 * Found once, at start-up, by the module that registers the filter. Each must be default (singleton)
 * scope and have a `report(event)` method (`ApiErrorReporter`).
 */
export const API_ERROR_REPORTER = Symbol.for('nestjs-api-errors.api-error-reporter');
