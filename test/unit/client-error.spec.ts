import { PassThrough } from 'node:stream';
import { canAnswer } from '../../lib/adapters/client-error.js';
import { resolveClientError } from '../../lib/filter/framework-errors.js';

describe('requests Node refuses before any framework', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'The request header fields are too large.'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'The request did not arrive in time.'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'The request is not valid HTTP/1.1.'],
    ['HPE_INVALID_METHOD', 400, 'The request is not valid HTTP/1.1.'],
    [undefined, 400, 'The request is not valid HTTP/1.1.'],
  ])('%s → %i request.failed', (code, status, message) => {
    expect(resolveClientError(Object.assign(new Error('parse error'), { code }))).toEqual({
      status,
      code: 'request.failed',
      messages: [message],
      fields: {},
    });
  });

  it('answers only a client that is still there, and that no framework answers', () => {
    const open = new PassThrough();
    expect(canAnswer({ code: 'HPE_INVALID_HEADER_TOKEN' }, open)).toBe(true);
    expect(canAnswer({ code: 'ECONNRESET' }, open)).toBe(false);
    expect(canAnswer({ code: 'HPE_INVALID_EOF_STATE' }, open)).toBe(false);
    open.destroy();
    expect(canAnswer({ code: 'HPE_INVALID_HEADER_TOKEN' }, open)).toBe(false);
  });
});
