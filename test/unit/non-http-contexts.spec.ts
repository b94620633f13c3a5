import { ConsoleLogger, Logger, type ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { firstValueFrom, isObservable, type Observable } from 'rxjs';
import { ApiErrorRegistry, ApiErrorsFilter, ObjectIdNotFoundException } from 'nestjs-api-errors';
import { LogCapture } from '../support/log-capture.js';

function host(type: string, args: unknown[] = []): ArgumentsHost {
  return {
    getType: () => type,
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToRpc: () => ({ getData: () => args[0], getContext: () => args[1] }),
    switchToWs: () => ({ getClient: () => args[0], getData: () => args[1], getPattern: () => 'event' }),
    switchToHttp: () => {
      throw new Error('not HTTP');
    },
  } as unknown as ArgumentsHost;
}

const filter = new ApiErrorsFilter(
  {},
  { httpAdapter: undefined } as unknown as HttpAdapterHost,
  new ApiErrorRegistry(),
);

async function rpcError(exception: unknown): Promise<unknown> {
  const result = filter.catch(exception, host('rpc'));
  expect(isObservable(result)).toBe(true);
  return firstValueFrom(result as Observable<unknown>).then(
    () => {
      throw new Error('expected an error');
    },
    (error: unknown) => error,
  );
}

describe('the filter outside HTTP', () => {
  /** Nest's RPC handler and the filter log through Nest's static Logger: captured here, not printed. */
  const logs = new LogCapture();
  beforeAll(() => Logger.overrideLogger(logs));
  beforeEach(() => logs.clear());
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  const errorLines = () => logs.lines.filter(line => line.level === 'error');

  it('hands an RpcException to Nest’s RPC handling, which sends its error', async () => {
    expect(await rpcError(new RpcException('order not found'))).toEqual({
      status: 'error',
      message: 'order not found',
    });
    expect(errorLines()).toEqual([]);
  });

  it('hands any other error to Nest’s RPC handling, which hides it', async () => {
    expect(await rpcError(new Error('db password=x'))).toEqual({ status: 'error', message: 'Internal server error' });
    expect(await rpcError(new ObjectIdNotFoundException())).toEqual({
      status: 'error',
      message: 'Internal server error',
    });
    // Nest's handler logs the unknown Error once, server-side, under its own context (not the HttpException);
    // the filter adds nothing.
    expect(errorLines()).toHaveLength(1);
    expect(errorLines()[0]?.extra).toContain('RpcExceptionsHandler');
    expect(errorLines()[0]?.message).toMatch(/^Error: db password=x\n\s+at /);
    expect(logs.apiErrorLines()).toEqual([]);
  });

  it('hands a WebSocket error to Nest’s WS handling, which emits it to the client', async () => {
    const emitted: unknown[][] = [];
    const client: { emit?: (...args: unknown[]) => void } = {};
    // Nest's WS handling is loaded on first use: the emit comes a few ticks later, and is awaited.
    const first = new Promise<void>(resolve => {
      client.emit = (...args: unknown[]) => {
        emitted.push(args);
        resolve();
      };
    });
    expect(() => filter.catch(new WsException('bad message'), host('ws', [client, {}]))).not.toThrow();
    await first;
    expect(emitted).toEqual([
      ['exception', { status: 'error', message: 'bad message', cause: { pattern: 'event', data: {} } }],
    ]);
    expect(errorLines()).toEqual([]);
  });

  it('rethrows in other contexts (GraphQL), as Nest’s external filter does', () => {
    const error = new Error('resolver failed');
    expect(() => filter.catch(error, host('graphql'))).toThrow(error);
    expect(logs.apiErrorLines()).toHaveLength(1);
    expect(logs.apiErrorLines()[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/^Error: resolver failed\n/),
    });
  });
});
