import type { Provider, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import { ApiErrorsFilter } from './api-errors.filter.js';

/**
 * The providers of the `filter` registration option: the filter (`ApiErrorsFilter`, or the application's
 * subclass of it, under the `ApiErrorsFilter` token) and the `APP_FILTER` that makes that same instance
 * global. `false` registers neither: Nest's own filter answers.
 */
export function apiErrorsFilterProviders(filter: unknown): Provider[] {
  if (filter === false) {
    return [];
  }
  return [
    {
      provide: ApiErrorsFilter,
      useClass: filter === undefined || filter === true ? ApiErrorsFilter : filterClass(filter),
    },
    { provide: APP_FILTER, useExisting: ApiErrorsFilter },
  ];
}

function filterClass(filter: unknown): Type<ApiErrorsFilter> {
  if (typeof filter !== 'function' || !(filter.prototype instanceof ApiErrorsFilter || filter === ApiErrorsFilter)) {
    throw ApiErrorsConfigurationError.create(
      'filter is not a boolean, nor a class that extends ApiErrorsFilter',
      'Give true (the default), false, or your own subclass of ApiErrorsFilter (see docs/filter.md)',
    );
  }
  return filter as Type<ApiErrorsFilter>;
}
