import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { ApiErrorRegistry, ApiErrorsFilter, ObjectIdNotFoundException } from 'nestjs-api-errors';
import { httpArgumentsHost } from '../../lib/filter/error-response.js';
import { LogCapture } from '../support/log-capture.js';

/** An adapter whose response cannot be written (the client went away mid-answer). */
const brokenAdapter = {
  getType: () => 'express',
  isHeadersSent: () => false,
  setHeader: () => {},
  reply: () => {
    throw new Error('write EPIPE: socket closed by 203.0.113.7');
  },
  getRequestMethod: () => 'GET',
  getRequestUrl: () => '/objects/1',
};

describe('ApiErrorsFilter with an async translate', () => {
  const logs = new LogCapture();
  beforeAll(() => Logger.overrideLogger(logs));
  afterAll(() => Logger.overrideLogger(false));

  it('catches a failure to write the answer after the translation: logged, never an unhandled rejection', async () => {
    const filter = new ApiErrorsFilter(
      { translate: async (_code, messages) => messages, clientErrorLogLevel: false },
      { httpAdapter: brokenAdapter } as unknown as HttpAdapterHost,
      new ApiErrorRegistry(),
    );
    const request = { method: 'GET', url: '/objects/1', headers: { 'accept-language': 'fr' } };
    const answered = filter.catch(new ObjectIdNotFoundException(), httpArgumentsHost(request, {}));
    expect(answered).toBeInstanceOf(Promise);
    await expect(answered).resolves.toBeUndefined();
    const line = logs.lines.find(entry => entry.message.startsWith('could not write the answer'));
    expect(line).toMatchObject({ level: 'error', message: expect.stringMatching(/error_id=\S+ \(Error\)$/) });
    expect(logs.text()).not.toContain('203.0.113.7');
  });
});
