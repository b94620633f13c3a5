import type { INestApplicationContext } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiErrorsConfigurationError } from '../api-errors-configuration.error.js';
import type { ApiErrorEntry } from '../catalogue/api-error-definition.interface.js';
import type { ApiErrorRegistry } from '../catalogue/api-error-registry.js';
import { routeErrorCodes, type GlobalEnhancers } from './route-error-codes.js';

/** One handler of a controller of the application, with the codes it can answer with. */
export interface ApplicationRoute {
  readonly controller: new (...args: never[]) => unknown;
  readonly name: string;
  readonly handler: object;
  readonly descriptor: PropertyDescriptor;
  /** Its error codes' catalogue entries, in the order of `routeErrorCodes()`. */
  readonly entries: ApiErrorEntry[];
  /** What it answers on success unless it says otherwise: its `@HttpCode()`, else 201 for POST, else 200. */
  readonly successStatus: number;
  /** The first of handler, controller that has the metadata key, as guards read it. */
  read(key: symbol | string): unknown;
}

interface EnhancerConfig {
  getGlobalGuards(): unknown[];
  getGlobalPipes(): unknown[];
  getGlobalInterceptors(): unknown[];
  getGlobalRequestGuards?(): { metatype: unknown }[];
  getGlobalRequestPipes?(): { metatype: unknown }[];
  getGlobalRequestInterceptors?(): { metatype: unknown }[];
}

/**
 * The global guards, pipes and interceptors: `APP_GUARD`/`APP_PIPE`/`APP_INTERCEPTOR` providers and
 * `app.useGlobal*()` calls, which Nest keeps in the application's configuration (not a public API, so
 * an application context without one has none).
 */
export function globalEnhancers(app: INestApplicationContext): GlobalEnhancers {
  const config = (app as unknown as { container?: { applicationConfig?: EnhancerConfig } }).container
    ?.applicationConfig;
  if (config === undefined) {
    return {};
  }
  const types = (wrappers: { metatype: unknown }[] | undefined): unknown[] =>
    (wrappers ?? []).map(wrapper => wrapper.metatype);
  return {
    guards: [...config.getGlobalGuards(), ...types(config.getGlobalRequestGuards?.())],
    pipes: [...config.getGlobalPipes(), ...types(config.getGlobalRequestPipes?.())],
    interceptors: [...config.getGlobalInterceptors(), ...types(config.getGlobalRequestInterceptors?.())],
  };
}

/** Every route handler of the application's controllers, with its codes resolved in the registry. */
export function applicationRoutes(app: INestApplicationContext, registry: ApiErrorRegistry): ApplicationRoute[] {
  const globals = globalEnhancers(app);
  const routes: ApplicationRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as ApplicationRoute['controller'] | null;
      if (typeof controller !== 'function') {
        continue;
      }
      for (const [name, descriptor] of methodsOf(controller.prototype as object)) {
        const handler = descriptor.value as object | undefined;
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata(PATH_METADATA, handler) === undefined
        ) {
          continue;
        }
        const read = (key: symbol | string): unknown => {
          const onHandler: unknown = Reflect.getMetadata(key, handler);
          return onHandler !== undefined ? onHandler : Reflect.getMetadata(key, controller);
        };
        const entries = routeErrorCodes(controller, handler, globals).map(code => {
          const entry = registry.get(code);
          if (entry === undefined) {
            throw ApiErrorsConfigurationError.create(
              `${controller.name}.${name} can answer "${code}" (from @ApiErrorResponses() or @ApiErrorCodes()), which no catalogue defines`,
              'Fix the code or register its catalogue in ApiErrorsModule',
            );
          }
          return entry;
        });
        const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const successStatus = httpCode ?? (method === RequestMethod.POST ? 201 : 200);
        routes.push({ controller, name, handler, descriptor, entries, successStatus, read });
      }
    }
  }
  return routes;
}

/** The methods of a prototype and those it inherits (a base controller's routes), the nearest first. */
function methodsOf(prototype: object): Map<string, PropertyDescriptor> {
  const methods = new Map<string, PropertyDescriptor>();
  for (
    let level: object | null = prototype;
    level !== null && level !== Object.prototype;
    level = Object.getPrototypeOf(level) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (!methods.has(name)) {
        methods.set(name, Object.getOwnPropertyDescriptor(level, name) as PropertyDescriptor);
      }
    }
  }
  return methods;
}
