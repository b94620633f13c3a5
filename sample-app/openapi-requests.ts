import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ApiProperty, type ApiPropertyOptions, type OpenAPIObject } from '@nestjs/swagger';
import * as classTransformerStorage from 'class-transformer/cjs/storage.js';
import type { MetadataStorage as ClassTransformerMetadataStorage } from 'class-transformer/types/MetadataStorage.js';
import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

/**
 * The request schemas of the OpenAPI document come from the class-validator decorators that the
 * validation pipe checks, so that each rule is written once and the document follows the DTOs. The library
 * class-validator-jsonschema turns each class's decorators into a JSON Schema (types, required fields,
 * lengths, bounds, patterns, formats, `@IsIn` enums, nested classes and arrays, and the names given by
 * class-transformer's `@Expose({ name })`); each property of that schema is handed to @nestjs/swagger as
 * an `@ApiProperty`, which then writes the request bodies and explodes `@Query()` and `@Param()` classes
 * into parameters as for any hand-decorated class.
 */

/** The JSON Schema of one property, as class-validator-jsonschema writes it. */
interface PropertySchema {
  $ref?: string;
  type?: string;
  items?: PropertySchema;
  [keyword: string]: unknown;
}

/**
 * Where class-transformer keeps `@Expose()` and `@Type()`: the file its entry point (the CommonJS build)
 * uses, so the decorators of the app write into it. The package's own declaration of that module types
 * only what the package reads; this file reads the whole storage.
 */
const defaultMetadataStorage =
  classTransformerStorage.defaultMetadataStorage as unknown as ClassTransformerMetadataStorage;

/**
 * The storage as the validation pipe sees it when it turns a request into a DTO: an `@Expose({ name })`
 * with `toPlainOnly` renames the field in responses only, so requests keep the property's name.
 */
const incomingMetadataStorage = Object.create(defaultMetadataStorage, {
  getExposedMetadatas: {
    value: (target: Type) =>
      defaultMetadataStorage.getExposedMetadatas(target).filter(metadata => metadata.options.toPlainOnly !== true),
  },
}) as ClassTransformerMetadataStorage;

const REF_PREFIX = '#/components/schemas/';
const described = new WeakSet<Type>();

/**
 * Describes, once per class, every class that a route of the app takes as a parameter and that carries
 * class-validator decorators, and the classes nested in them. Returns those classes, for
 * `closeRequestSchemas()` once the document is built.
 */
export function describeRequestClasses(app: INestApplication): Type[] {
  const classes = new Set<Type>();
  for (const type of routeParameterTypes(app)) {
    describeClass(type, classes);
  }
  return [...classes];
}

/**
 * The validation pipe runs with `whitelist` and `forbidNonWhitelisted`, so a body with a field its class
 * does not declare is refused: the bodies' schemas say so with `additionalProperties: false`. That is
 * the classes' schemas, and the operations' own copies of them: where a route's guards read body fields
 * (`password`, `captcha_response`, …), the package documents them in a copy of the class's schema.
 */
export function closeRequestSchemas(document: OpenAPIObject, classes: Type[]): void {
  const close = (schema: unknown): void => {
    if (schema !== null && typeof schema === 'object' && !('$ref' in schema)) {
      (schema as { additionalProperties?: boolean }).additionalProperties = false;
    }
  };
  for (const type of classes) {
    close(document.components?.schemas?.[type.name]);
  }
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as {
      requestBody?: { content?: Record<string, { schema?: unknown }> };
    }[]) {
      for (const media of Object.values(operation?.requestBody?.content ?? {})) {
        close(media.schema);
      }
    }
  }
}

function* routeParameterTypes(app: INestApplication): Iterable<Type> {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (typeof controller !== 'function') {
        continue;
      }
      const prototype = controller.prototype as object;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const types = Reflect.getMetadata('design:paramtypes', prototype, name) as unknown[] | undefined;
        for (const type of types ?? []) {
          if (typeof type === 'function' && isValidated(type as Type)) {
            yield type as Type;
          }
        }
      }
    }
  }
}

function isValidated(type: Type): boolean {
  return getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
}

function describeClass(type: Type, classes: Set<Type>): void {
  if (classes.has(type)) {
    return;
  }
  classes.add(type);
  const schema = targetConstructorToSchema(type, {
    classTransformerMetadataStorage: incomingMetadataStorage,
    refPointerPrefix: REF_PREFIX,
  }) as { properties?: Record<string, PropertySchema>; required?: string[] };
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const key = propertyKey(type, name);
    const nested = (): Type => nestedClass(type, key);
    for (const child of nestedClasses(property, nested)) {
      describeClass(child, classes);
    }
    if (!described.has(type)) {
      const options = apiPropertyOptions(property, nested);
      ApiProperty({ ...options, name, required: schema.required?.includes(name) === true } as ApiPropertyOptions)(
        type.prototype,
        key,
      );
    }
  }
  described.add(type);
}

/** The class's own property that `@Expose({ name })` may have renamed. */
function propertyKey(type: Type, name: string): string {
  const exposed = incomingMetadataStorage
    .getExposedMetadatas(type)
    .find(metadata => metadata.options.name === name && metadata.propertyName !== undefined);
  return exposed?.propertyName ?? name;
}

/** The class of a nested property: class-transformer's `@Type()` first, as the pipe uses it, then the TypeScript type. */
function nestedClass(type: Type, property: string): Type {
  const fromTransformer = defaultMetadataStorage.findTypeMetadata(type, property)?.typeFunction() as Type | undefined;
  return fromTransformer ?? (Reflect.getMetadata('design:type', type.prototype, property) as Type);
}

function nestedClasses(property: PropertySchema, nested: () => Type): Type[] {
  return property.$ref !== undefined || property.items?.$ref !== undefined ? [nested()] : [];
}

function apiPropertyOptions(property: PropertySchema, nested: () => Type): ApiPropertyOptions {
  if (property.$ref !== undefined) {
    const { $ref: _ref, ...rest } = property;
    return { ...rest, type: nested() } as ApiPropertyOptions;
  }
  if (property.type === 'array' && property.items?.$ref !== undefined) {
    const { items: _items, type: _type, ...rest } = property;
    return { ...rest, type: nested(), isArray: true } as ApiPropertyOptions;
  }
  return property as ApiPropertyOptions;
}
