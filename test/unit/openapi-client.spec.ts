// A client generated from the sample's OpenAPI document, and the package's own client helpers, compiled
// by the repo's TypeScript: the error codes must reach the client as unions of literals, so that a
// misspelt code does not compile. Both checks can fail either way: a type assertion fails when a code is
// only `string`, and an unused `@ts-expect-error` is itself an error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { API_ERROR_CATALOGUE, routeErrorCodes } from 'nestjs-api-errors';
import { ProfileController } from '../../sample-app/profile/profile.controller.js';
import { sampleOpenApiDocument } from '../support/sample-openapi.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Strict, as the repo compiles; the package's client entry resolved to its source. */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  noUncheckedIndexedAccess: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')],
  skipLibCheck: true,
  paths: { 'nestjs-api-errors/client': [join(root, 'lib', 'client', 'index.ts')] },
};

/** The diagnostics of the given files, one line each: `file:line: message`. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, COMPILER_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map(diagnostic => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) {
      return message;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName.slice(root.length)}:${line + 1}: ${message}`;
  });
}

/** A union of string literals as TypeScript source. */
const literalUnion = (codes: readonly string[]): string => codes.map(code => JSON.stringify(code)).join(' | ');

/**
 * The codes `GET /me` can answer with 401, from the route's decorators and the catalogue: what the
 * route declares, not what the document says, so the document is checked against something else.
 */
const ME_401_CODES = routeErrorCodes(ProfileController, ProfileController.prototype.profile).filter(
  code => (API_ERROR_CATALOGUE as Record<string, { status: number }>)[code]?.status === 401,
);

/** A small client over the generated types: what an application would write against them. */
const GENERATED_CLIENT = `
import type { paths } from './schema.js';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type MeResponses = paths['/me']['get']['responses'];
export type MeOk = JsonOf<MeResponses[200]>;
export type Me401 = JsonOf<MeResponses[401]>;
export type Me401Code = Me401['error_code'];

/** Exactly: T and U are each assignable to the other. */
type Equal<T, U> = [T] extends [U] ? ([U] extends [T] ? true : false) : false;

// A union of literals: neither \`string\` nor \`never\`, and exactly the route's 401 codes.
export const codeIsNotString: string extends Me401Code ? false : true = true;
export const codeIsNotNever: [Me401Code] extends [never] ? false : true = true;
export const codesAreTheRoutes: Equal<Me401Code, ME_401_CODES> = true;

// The success envelope: \`status\` is the literal "success".
export const successStatus: Equal<MeOk['status'], 'success'> = true;

export async function getMe(baseUrl: string, token: string): Promise<MeOk | Me401> {
  const response = await fetch(\`\${baseUrl}/me\`, { headers: { authorization: \`Bearer \${token}\` } });
  return (await response.json()) as MeOk | Me401;
}

export function needsNewToken(body: Me401): boolean {
  const right: Me401Code = 'auth.token.invalid';
  // @ts-expect-error: a misspelt code is not one of the route's codes
  const misspelt: Me401Code = 'auth.tokn.invalid';
  // @ts-expect-error: nor does comparing with it compile
  return body.error_code === 'auth.tokn.invalid' || body.error_code === right || misspelt === right;
}
`;

/** The package's own helper: \`isApiErrorBody\` narrows an unknown body to the catalogue's codes. */
const PACKAGE_CLIENT = `
import { isApiErrorBody, type ApiErrorCode } from 'nestjs-api-errors/client';

type Equal<T, U> = [T] extends [U] ? ([U] extends [T] ? true : false) : false;

export function react(body: unknown): string {
  if (!isApiErrorBody(body)) {
    return 'not an error';
  }
  const code: ApiErrorCode = body.error_code;
  const narrowed: Equal<typeof body.error_code, ApiErrorCode> = true;
  const notString: string extends typeof body.error_code ? false : true = true;
  if (body.error_code === 'auth.token.invalid') {
    return 'sign in again';
  }
  // @ts-expect-error: a misspelt code does not compare
  if (body.error_code === 'auth.tokn.invalid') {
    return 'never';
  }
  return String(narrowed && notString) + code;
}
`;

/** A document whose 401 body has \`error_code: string\`, as the client is not to see: the control case. */
const LOOSE_DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'loose', version: '1' },
  paths: {
    '/me': {
      get: {
        responses: {
          200: {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } } },
          },
          401: {
            description: 'unauthorised',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['status', 'error_code'],
                  properties: { status: { type: 'string', enum: ['error'] }, error_code: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
  },
};

let work: string;

beforeAll(() => {
  // Under dist/ (git-ignored) so that the files resolve as part of this ES-module package.
  mkdirSync(join(root, 'dist'), { recursive: true });
  work = mkdtempSync(join(root, 'dist', 'openapi-client-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Writes the generated schema and the client into a folder of their own and compiles them. */
async function compileGenerated(name: string, document: object): Promise<string[]> {
  const folder = join(work, name);
  mkdirSync(folder);
  const schema = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0], { silent: true }));
  writeFileSync(join(folder, 'schema.ts'), schema);
  writeFileSync(join(folder, 'client.ts'), GENERATED_CLIENT.replace('ME_401_CODES', literalUnion(ME_401_CODES)));
  return compile([join(folder, 'client.ts')]);
}

describe('a TypeScript client generated from the sample’s OpenAPI document', () => {
  it('knows which codes GET /me declares with 401 (the expected union is not empty)', () => {
    expect(ME_401_CODES).toEqual(expect.arrayContaining(['auth.token.invalid', 'auth.token.expired']));
  });

  it('narrows error_code to the route’s codes, rejects a misspelt code and types the success envelope', async () => {
    const diagnostics = await compileGenerated('sample', await sampleOpenApiDocument());
    expect(diagnostics).toEqual([]);
  }, 60_000);

  it('fails to compile against a document whose error_code is a plain string (the check can fail)', async () => {
    const diagnostics = await compileGenerated('loose', LOOSE_DOCUMENT);
    const lines = GENERATED_CLIENT.split('\n');
    const lineOf = (text: string): number => lines.findIndex(line => line.includes(text)) + 1;
    const failing = new Set(diagnostics.map(diagnostic => Number(/:(\d+): /.exec(diagnostic)?.[1])));
    for (const check of ['codeIsNotString', 'codesAreTheRoutes', 'successStatus', '@ts-expect-error: a misspelt']) {
      expect({ check, fails: failing.has(lineOf(check)) }).toEqual({ check, fails: true });
    }
  }, 60_000);
});

describe('the package’s client helpers (nestjs-api-errors/client)', () => {
  it('isApiErrorBody narrows error_code to the code union without casts; a misspelt code does not compile', () => {
    const file = join(work, 'package-client.ts');
    writeFileSync(file, PACKAGE_CLIENT);
    expect(compile([file])).toEqual([]);
  }, 60_000);

  it('the same file fails when the misspelt code is a real one (the @ts-expect-error is checked)', () => {
    const file = join(work, 'package-client-control.ts');
    writeFileSync(file, PACKAGE_CLIENT.replace("=== 'auth.tokn.invalid'", "=== 'auth.token.expired'"));
    expect(compile([file])).toEqual([expect.stringContaining("Unused '@ts-expect-error' directive")]);
  }, 60_000);
});
