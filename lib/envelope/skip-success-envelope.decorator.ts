import { Injectable, SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { SKIP_SUCCESS_ENVELOPE_METADATA } from '../internal.constants.js';
import { SKIP_SUCCESS_ENVELOPE } from './success-envelope.js';

/** Marks the response of a route so that the success envelope leaves its body as the handler made it. */
@Injectable()
export class SkipSuccessEnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Record<symbol, unknown>>();
    response[SKIP_SUCCESS_ENVELOPE] = true;
    return next.handle();
  }
}

/**
 * Sends what the handler returns as it is, without `status: "success"` (a health check, a webhook
 * answer a third party expects in its own shape). On a controller, it applies to all its routes.
 *
 * @example
 * @Get('health')
 * @SkipSuccessEnvelope()
 * health() { return { ok: true }; }
 */
export function SkipSuccessEnvelope(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(SKIP_SUCCESS_ENVELOPE_METADATA, true),
    UseInterceptors(SkipSuccessEnvelopeInterceptor),
  );
}
