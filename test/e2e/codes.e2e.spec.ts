import { API_ERROR_CATALOGUE, type ApiErrorCode } from 'nestjs-api-errors';
import { ADAPTERS, startFixture, type RunningApp } from '../support/fixture-app.js';
import { expectError } from '../support/expect-error.js';
import { send } from '../support/http-client.js';
import { entryOf } from '../support/log-entry.js';

const codes = Object.keys(API_ERROR_CATALOGUE) as ApiErrorCode[];

describe.each(ADAPTERS)('every catalogue code on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it('covers the 37 codes of the contract and the 8 extensions', () => {
    expect(codes.filter(code => API_ERROR_CATALOGUE[code].origin === 'seed')).toHaveLength(37);
    expect(codes.filter(code => API_ERROR_CATALOGUE[code].origin === 'extension')).toHaveLength(8);
  });

  it.each(codes)('%s: the class built with no arguments answers its status, code and default message', async code => {
    const { status, message, exception } = API_ERROR_CATALOGUE[code];
    const res = await send(running.baseUrl, `/errors/code/${code}`);

    const fields = code === 'critical.auth.required' ? { critical_auth_method: 'otp' } : {};
    expectError(res, code, { messages: [message], fields });
    expect(res.headers['x-error-id']).toBe(res.json.error_id);
    const [line] = running.logs.linesWith(res.json.error_id);
    expect(entryOf(line).msg).toBe(`${status} ${code} error_id=${res.json.error_id} GET /errors/code/${code}`);
    expect(exception).toMatch(/Exception$/);
  });
});
