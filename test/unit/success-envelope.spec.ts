import { StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { SKIP_SUCCESS_ENVELOPE, toSuccessBody } from '../../lib/envelope/success-envelope.js';

/** A response as the adapters hand it to `reply()`: only its status code (and the skip mark) are read. */
const response = (statusCode = 200, skipped = false): Record<string | symbol, unknown> =>
  skipped ? { statusCode, [SKIP_SUCCESS_ENVELOPE]: true } : { statusCode };

const body = (value: unknown, statusCode?: number, res = response()): unknown => toSuccessBody(res, value, statusCode);

describe('the success body', () => {
  it('puts status: "success" first in a plain object, keeping its fields and their order', () => {
    const enveloped = body({ id: 1, name: 'first' });
    expect(JSON.stringify(enveloped)).toBe('{"status":"success","id":1,"name":"first"}');
  });

  it('replaces a status field of the handler’s own object, and leaves that object as it was', () => {
    const own = { status: 'active', id: 1 };
    expect(JSON.stringify(body(own))).toBe('{"status":"success","id":1}');
    expect(own).toEqual({ status: 'active', id: 1 });
  });

  it.each([
    ['an array', [1, 2, 3]],
    ['an empty array', []],
    ['a number', 42],
    ['zero', 0],
    ['a boolean', false],
    ['null', null],
    ['an array of objects', [{ a: 1 }]],
  ])('puts %s under data', (_name, value) => {
    expect(body(value)).toEqual({ status: 'success', data: value });
  });

  it('honours toJSON(): an object it returns is enveloped, anything else goes under data', () => {
    const account = { id: 7, secret: 'x', toJSON: () => ({ id: 7 }) };
    expect(JSON.stringify(body(account))).toBe('{"status":"success","id":7}');
    expect(body({ toJSON: () => '5 EUR' })).toEqual({ status: 'success', data: '5 EUR' });
    expect(body({ toJSON: () => [1] })).toEqual({ status: 'success', data: [1] });
    expect(body({ toJSON: () => null })).toEqual({ status: 'success', data: null });
  });

  it('takes the status given to reply() before the response’s own', () => {
    expect(body({ id: 2 }, 201, response(500))).toEqual({ status: 'success', id: 2 });
    expect(body({ id: 2 }, 500, response(200))).toEqual({ id: 2 });
  });

  it('defaults to 200 when neither reply() nor the response has a status', () => {
    expect(toSuccessBody({}, { id: 3 }, undefined)).toEqual({ status: 'success', id: 3 });
  });

  describe('leaves alone', () => {
    const stream = Readable.from(['a']);
    const file = new StreamableFile(Buffer.from('a,b'));
    const bytes = Buffer.from('raw bytes');
    const arrayBuffer = new ArrayBuffer(4);
    const typed = new Uint8Array([1, 2]);
    const error = new Error('not a body');
    const fn = (): void => {};
    const symbol = Symbol('s');

    it.each([
      ['undefined (no body)', undefined],
      ['a string (sent as text)', 'plain text'],
      ['an empty string', ''],
      ['a function', fn],
      ['a symbol', symbol],
      ['a StreamableFile', file],
      ['a stream', stream],
      ['a Buffer', bytes],
      ['an ArrayBuffer', arrayBuffer],
      ['a typed array', typed],
      ['an Error', error],
    ])('%s', (_name, value) => {
      expect(body(value)).toBe(value);
    });

    it.each([100, 199, 300, 302, 304, 400, 404, 500])('any body with status %d', status => {
      const value = { id: 1 };
      expect(body(value, status)).toBe(value);
      expect(body(value, undefined, response(status))).toBe(value);
    });

    it('any body of a route marked @SkipSuccessEnvelope()', () => {
      const value = { id: 1 };
      const list = [1];
      expect(body(value, 200, response(200, true))).toBe(value);
      expect(body(list, 200, response(200, true))).toBe(list);
      expect(body(null, 200, response(200, true))).toBeNull();
    });
  });
});
