/* global fetch */
// Loads both builds of the package in one Node process, as an application does when its CommonJS code
// requires the package while an ES module imports it: `node dual-copy-check.mjs <project dir>`, where
// <project dir> has the package and Nest installed. An exception thrown from one copy must be answered by
// the other copy's filter with its own code and status, and `instanceof` must keep subclass semantics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const project = resolve(process.argv[2] ?? '.');
const require = createRequire(join(project, 'package.json'));
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

const cjs = require('nestjs-api-errors');
const packageDir = dirname(require.resolve('nestjs-api-errors/package.json'));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const esm = await import(pathToFileURL(join(packageDir, manifest.exports['.'].import.default)).href);
assert.notEqual(cjs.ApiException, esm.ApiException, 'the two builds must be two copies');

const copies = { cjs, esm };
let checks = 0;
function check(value, expected, what) {
  assert.equal(value, expected, what);
  checks += 1;
}

for (const [from, to] of [
  ['cjs', 'esm'],
  ['esm', 'cjs'],
]) {
  const thrower = copies[from];
  const other = copies[to];
  const label = `${from} thrown, ${to} checks`;
  check(
    new thrower.ObjectIdNotFoundException() instanceof other.ApiException,
    true,
    `${label}: per-code class is an ApiException`,
  );
  check(
    new thrower.ObjectIdNotFoundException() instanceof other.ObjectIdNotFoundException,
    true,
    `${label}: same per-code class`,
  );
  check(
    new thrower.ObjectIdNotFoundException() instanceof other.TokenInvalidException,
    false,
    `${label}: other per-code class`,
  );
  check(
    new thrower.ApiException('auth.token.invalid') instanceof other.TokenInvalidException,
    false,
    `${label}: base is no subclass`,
  );
  check(new thrower.ApiException('auth.token.invalid') instanceof other.ApiException, true, `${label}: base class`);
  check(
    thrower.ApiErrorsConfigurationError.create('x', 'y') instanceof other.ApiErrorsConfigurationError,
    true,
    `${label}: configuration error`,
  );
  check(
    thrower.ApiErrorsConfigurationError.create('x', 'y') instanceof other.ApiException,
    false,
    `${label}: configuration error is no ApiException`,
  );
  check(new Error('x') instanceof other.ApiException, false, `${label}: plain error`);
  const billing = thrower.defineApiErrors({
    'billing.card.declined': { status: 402, message: 'The card was declined.' },
  });
  class CardDeclinedException extends billing.exception('billing.card.declined') {}
  class OtherCardException extends billing.exception('billing.card.declined') {}
  check(new CardDeclinedException() instanceof other.ApiException, true, `${label}: app class is an ApiException`);
  check(new CardDeclinedException() instanceof OtherCardException, false, `${label}: sibling app classes stay apart`);

  // A real application: the filter and registry of `to`, the catalogue and exceptions of `from`.
  class RoutesController {
    notFound() {
      throw new thrower.ObjectIdNotFoundException();
    }
    declined() {
      throw new CardDeclinedException({ card: ['expired'] });
    }
    token() {
      throw new thrower.TokenInvalidException();
    }
  }
  Controller()(RoutesController);
  for (const name of ['notFound', 'declined', 'token']) {
    Get(name)(RoutesController.prototype, name, Object.getOwnPropertyDescriptor(RoutesController.prototype, name));
  }
  class AppModule {}
  Module({ imports: [other.ApiErrorsModule.forRoot({ catalogues: [billing] })], controllers: [RoutesController] })(
    AppModule,
  );

  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  try {
    const base = await app.getUrl();
    for (const [path, status, code, messages] of [
      ['notFound', 404, 'object.id.notfound', ['Requested object id is not found.']],
      ['declined', 402, 'billing.card.declined', { card: ['expired'] }],
      ['token', 401, 'auth.token.invalid', undefined],
    ]) {
      const response = await fetch(`${base}/${path}`);
      const body = await response.json();
      check(response.status, status, `${label}: status of /${path}`);
      check(body.status, 'error', `${label}: envelope of /${path}`);
      check(body.error_code, code, `${label}: error_code of /${path}`);
      check(response.headers.get('x-error-id'), body.error_id, `${label}: X-Error-Id of /${path}`);
      if (messages !== undefined) {
        assert.deepEqual(body.messages, messages, `${label}: messages of /${path}`);
      }
    }
  } finally {
    await app.close();
  }
}
console.log(`dual-copy check: ${checks} checks passed (CommonJS and ES module copies in one process)`);
