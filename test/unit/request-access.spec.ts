import { requestAccess } from 'nestjs-api-errors';
import { accessRecord } from '../../lib/guards/request-access.js';
import { fakeRequest } from '../support/guard-context.js';

describe('requestAccess: what the guards established for a request', () => {
  it('is one record per request, empty until a guard fills it', () => {
    const request = fakeRequest();
    expect(requestAccess(request)).toEqual({ checked: false, client: undefined, principal: undefined });
    requestAccess(request).principal = { id: 'alice' };
    expect(requestAccess(request).principal).toEqual({ id: 'alice' });
    expect(requestAccess(fakeRequest()).principal).toBeUndefined();
  });

  it('adds no property to a request that is not Fastify’s (Express: Node’s own request object)', () => {
    const request = fakeRequest();
    const keysBefore = Reflect.ownKeys(request);
    accessRecord(request).client = { id: 'web' };
    expect(Reflect.ownKeys(request)).toEqual(keysBefore);
    expect(requestAccess(request).client).toEqual({ id: 'web' });
  });

  it('keeps it as one property of a Fastify request (which has `raw`)', () => {
    const request = { ...fakeRequest(), raw: { rawHeaders: [] } };
    accessRecord(request).principal = { id: 'bob' };
    const added = Reflect.ownKeys(request).filter(key => typeof key === 'symbol');
    expect(added).toEqual([Symbol.for('nestjs-api-errors.request-access')]);
    expect(requestAccess({ ...request }).principal).toEqual({ id: 'bob' });
  });
});
