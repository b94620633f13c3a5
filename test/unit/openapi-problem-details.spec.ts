// With the problemDetails option, every error response of createApiErrorsDocument() lists
// application/problem+json beside application/json, with the problem schema (same codes and fields);
// without it, the document is as before.
import 'reflect-metadata';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import { ApiErrorsModule, createApiErrorsDocument, type ApiErrorsModuleOptions } from 'nestjs-api-errors';
import { CodesController, SuccessController, fixtureErrors } from '../fixtures/openapi.fixture.js';

async function documentOf(
  options: ApiErrorsModuleOptions,
  controllers: Type[],
): Promise<{ app: INestApplication; document: any }> {
  @Module({ imports: [ApiErrorsModule.forRoot({ catalogues: [fixtureErrors], ...options })], controllers })
  class DocModule {}
  const app = (await Test.createTestingModule({ imports: [DocModule] }).compile()).createNestApplication({
    logger: false,
  });
  await app.init();
  return { app, document: await createApiErrorsDocument(app, new DocumentBuilder().setTitle('t').build() as never) };
}

/** Every inline error response of the document: those of the operations and the shared ones. */
function errorResponses(document: any): [string, any][] {
  const found: [string, any][] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        if (Number(status) >= 400 && response.$ref === undefined) {
          found.push([`${method} ${path} ${status}`, response]);
        }
      }
    }
  }
  for (const [name, response] of Object.entries<any>(document.components.responses ?? {})) {
    found.push([`components.responses.${name}`, response]);
  }
  return found;
}

describe('createApiErrorsDocument with problemDetails', () => {
  let on: { app: INestApplication; document: any };
  let off: { app: INestApplication; document: any };
  beforeAll(async () => {
    on = await documentOf({ problemDetails: true }, [CodesController, SuccessController]);
    off = await documentOf({}, [CodesController, SuccessController]);
  });
  afterAll(async () => {
    await on.app.close();
    await off.app.close();
  });

  it('lists both media types on every error response, with the same codes', () => {
    const responses = errorResponses(on.document);
    expect(responses.length).toBeGreaterThan(5);
    for (const [where, response] of responses) {
      expect([where, Object.keys(response.content).sort()]).toEqual([
        where,
        ['application/json', 'application/problem+json'],
      ]);
      const codes = (schema: any): string[] =>
        (schema.oneOf ?? [schema]).flatMap((branch: any) => branch.properties.error_code.enum);
      const problem = response.content['application/problem+json'].schema;
      expect(codes(problem)).toEqual(codes(response.content['application/json'].schema));
      for (const branch of problem.oneOf ?? [problem]) {
        expect(branch.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']));
        expect(branch.properties.status.type).toBe('integer');
      }
    }
  });

  it('gives examples that the problem schema of their response accepts', () => {
    const ajv = new Ajv({ strict: false });
    for (const [where, response] of errorResponses(on.document)) {
      const media = response.content['application/problem+json'];
      // the document's components beside the schema, so that its $refs resolve
      const validate = ajv.compile({ ...media.schema, components: on.document.components });
      for (const [name, example] of Object.entries<any>(media.examples)) {
        expect([where, name, validate(example.value), validate.errors]).toEqual([where, name, true, null]);
      }
    }
  });

  it('adds the ApiProblemDetails schema and stays a valid OpenAPI 3.0 document', async () => {
    expect(on.document.components.schemas.ApiProblemDetails.required).toContain('instance');
    const result = await new Validator().validate(structuredClone(on.document));
    expect(result.errors ?? []).toEqual([]);
  });

  it('is off by default: application/json only, no ApiProblemDetails', () => {
    for (const [, response] of errorResponses(off.document)) {
      expect(Object.keys(response.content)).toEqual(['application/json']);
    }
    expect(off.document.components.schemas.ApiProblemDetails).toBeUndefined();
  });
});
