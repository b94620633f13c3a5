import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipSuccessEnvelope } from 'nestjs-api-errors';

/**
 * A stand-in for an OAuth provider's token endpoint, so that the OAuth flows work without the internet:
 * the code `demo:<user id at the provider>` is exchanged for that id; any other code is refused with
 * `invalid_grant`, as a real provider would. It answers in the provider's format, not the envelope.
 * Anyone can name anyone here, so it is mounted in demo mode only (`DEMO_MODE=1`, see `app.module.ts`).
 */
@ApiExcludeController()
@Controller('demo-oauth')
export class DemoOAuthProviderController {
  @Post('token')
  @HttpCode(200)
  @SkipSuccessEnvelope()
  token(
    @Body() body: { code?: unknown },
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): object {
    const code = typeof body?.code === 'string' ? body.code : '';
    const subject = /^demo:([A-Za-z0-9._-]{1,64})$/.exec(code)?.[1];
    if (subject === undefined) {
      response.status(400);
      return { error: 'invalid_grant' };
    }
    return { sub: subject, token_type: 'Bearer' };
  }
}
