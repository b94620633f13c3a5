import 'reflect-metadata';
import { Validator } from '@seriousme/openapi-schema-validator';
import { sampleOpenApiDocument } from '../support/sample-openapi.js';

/** The codes a response's schema allows, from its enum or the enums of its branches. */
function codesOf(response: any): string[] {
  const schema = response.content['application/json'].schema;
  return (schema.oneOf ?? [schema]).flatMap((branch: any) => branch.properties.error_code.enum);
}

describe("the sample app's OpenAPI document", () => {
  let document: any;
  const operations = (): [string, any][] =>
    Object.entries<any>(document.paths).flatMap(([path, byMethod]) =>
      Object.entries<any>(byMethod).map(([method, operation]): [string, any] => [
        `${method.toUpperCase()} ${path}`,
        operation,
      ]),
    );

  beforeAll(async () => {
    document = await sampleOpenApiDocument();
  });

  it("lists for GET /me's 401 exactly what its decorators and SessionStateGuard imply", () => {
    const me = document.paths['/me'].get;
    expect(codesOf(me.responses[401])).toEqual([
      'auth.apikey.missing',
      'auth.apikey.invalid',
      'auth.header.missing',
      'auth.header.invalid',
      'auth.token.expired',
      'auth.token.invalid',
      'auth.session.invalid',
    ]);
    expect(codesOf(me.responses[403])).toEqual(['auth.user.restricted', 'auth.user.closed', 'auth.user.denied']);
    expect(me.security).toEqual([{ 'api-key': [], session: [] }]);
  });

  it('lists auth.session.invalid on every signed-in route, and only there', () => {
    const signedIn = operations()
      .filter(([, operation]) => operation.responses[401] !== undefined)
      .filter(([, operation]) => codesOf(operation.responses[401]).includes('auth.session.invalid'))
      .map(([name]) => name);
    expect(signedIn.sort()).toEqual(
      [
        'POST /auth/second-factor/backup-code',
        'POST /auth/second-factor/memorable-letters',
        'POST /auth/logout',
        'GET /me',
        'PUT /me/email',
        'PUT /me/phone',
        'POST /me/oauth-links',
        'POST /me/membership',
        'GET /objects',
        'POST /objects',
        'GET /objects/{id}',
        'DELETE /objects/{id}',
        'GET /search',
      ].sort(),
    );
  });

  it('documents a success and the security of every operation', () => {
    for (const [name, operation] of operations()) {
      const successes = Object.keys(operation.responses).filter(status => status.startsWith('2'));
      expect([name, successes.length]).toEqual([name, 1]);
      expect([name, operation.security?.length > 0]).toEqual([name, true]);
    }
    expect(document.paths['/partner/reports'].post.security).toEqual([{ signature: [] }]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['api-key', 'session', 'signature']);
  });

  it('is a valid OpenAPI 3.0 document', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
