import { ADAPTERS, startFixture, type RunningApp } from '../support/fixture-app.js';
import { send } from '../support/http-client.js';

describe.each(ADAPTERS)('success envelope on %s', adapter => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startFixture(adapter);
  });
  afterAll(() => running.close());

  it.each([
    ['an object gets status first', '/success/object', '{"status":"success","id":1,"name":"first"}'],
    ['a status of the handler’s own is replaced', '/success/own-status', '{"status":"success","id":1}'],
    ['an array goes under data', '/success/array', '{"status":"success","data":[1,2,3]}'],
    ['a number goes under data', '/success/number', '{"status":"success","data":42}'],
    ['false goes under data', '/success/boolean', '{"status":"success","data":false}'],
    ['null goes under data', '/success/null', '{"status":"success","data":null}'],
    ['toJSON() is honoured', '/success/to-json', '{"status":"success","id":7,"owner":"ada"}'],
    ['a toJSON() primitive goes under data', '/success/to-json-primitive', '{"status":"success","data":"5 EUR"}'],
  ])('%s', async (_name, path, expected) => {
    const res = await send(running.baseUrl, path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toBe(expected);
  });

  it('envelopes a 201 from @HttpCode', async () => {
    const res = await send(running.baseUrl, '/success/created', { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.text).toBe('{"status":"success","id":2}');
  });

  it('leaves a string alone (Nest sends it as text)', async () => {
    const res = await send(running.baseUrl, '/success/string');
    expect(res.status).toBe(200);
    expect(res.text).toBe('plain text');
  });

  it('leaves an empty body empty', async () => {
    const res = await send(running.baseUrl, '/success/empty');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('leaves a StreamableFile alone', async () => {
    const res = await send(running.baseUrl, '/success/file');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text).toBe('a,b\n1,2\n');
  });

  it('leaves a Buffer as Nest sends it (raw on Fastify, JSON of the Buffer on Express)', async () => {
    const res = await send(running.baseUrl, '/success/buffer');
    expect(res.status).toBe(200);
    expect(res.text).toBe(adapter === 'fastify' ? 'raw bytes' : JSON.stringify(Buffer.from('raw bytes')));
  });

  it('leaves a @Res() handler alone', async () => {
    const res = await send(running.baseUrl, '/success/res');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"raw":true}');
  });

  it('leaves a redirect alone', async () => {
    const res = await send(running.baseUrl, '/success/redirect');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/success/object');
  });

  it('leaves a route marked @SkipSuccessEnvelope() alone', async () => {
    const res = await send(running.baseUrl, '/success/skip');
    expect(res.text).toBe('{"ok":true}');
  });

  it('leaves every route of a controller marked @SkipSuccessEnvelope() alone', async () => {
    const res = await send(running.baseUrl, '/skipped');
    expect(res.text).toBe('[1]');
  });

  it('does not mark the next response of a keep-alive connection after a skipped one', async () => {
    // Each response object is new per request, so the mark cannot leak; checked on the same server.
    await send(running.baseUrl, '/success/skip');
    const res = await send(running.baseUrl, '/success/object');
    expect(res.text).toBe('{"status":"success","id":1,"name":"first"}');
  });
});
