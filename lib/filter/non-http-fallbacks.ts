import { IntrinsicException, type ArgumentsHost, type Logger } from '@nestjs/common';
import { defer, from, mergeMap, type Observable } from 'rxjs';

/**
 * What the filter does outside HTTP (microservices, WebSockets, GraphQL): it does not answer, it hands
 * the error to Nest's own handling for that context, loaded only when such a context fails.
 */
export function handOutsideHttp(exception: unknown, host: ArgumentsHost, logger: Logger): unknown {
  switch (host.getType<string>()) {
    case 'rpc':
      return rpcFallback(exception, host);
    case 'ws':
      wsFallback(exception, host, logger);
      return undefined;
    default:
      // GraphQL and other external contexts: what Nest's ExternalExceptionFilter does.
      if (exception instanceof Error && !(exception instanceof IntrinsicException)) {
        logger.error(exception);
      }
      throw exception;
  }
}

/** Nest's own RPC handling (`BaseRpcExceptionFilter`), loaded only when a microservice fails. */
function rpcFallback(exception: unknown, host: ArgumentsHost): Observable<unknown> {
  return defer(() => from(import('@nestjs/microservices'))).pipe(
    mergeMap(microservices => new microservices.BaseRpcExceptionFilter().catch(exception, host)),
  );
}

/** Nest's own WebSocket handling (`BaseWsExceptionFilter`), loaded only when a gateway fails. */
function wsFallback(exception: unknown, host: ArgumentsHost, logger: Logger): void {
  import('@nestjs/websockets').then(
    websockets => new websockets.BaseWsExceptionFilter().catch(exception, host),
    (loadError: unknown) =>
      logger.error('A WebSocket error could not be handed to @nestjs/websockets', String(loadError)),
  );
}
