import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiErrorResponses, ClientApp, AuthPrincipal, RequireApiKey, RequireCaptcha } from 'nestjs-api-errors';
import { SignedIn } from '../security/signed-in.decorator.js';
import type { IssuedSession, SessionPrincipal } from '../security/sessions.service.js';
import type { DemoClientApplication } from '../security/users.collaborators.js';
import { BackupCodeDto, LoginDto, MemorableLettersDto, OAuthSignInDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Sign in with a login id and password (and a captcha). Users with a second factor get a session that
   * must pass it. Attempts are limited per account and per client address (429 `request.rate.exceeded`).
   */
  @Post('login')
  @HttpCode(200)
  @RequireApiKey()
  @RequireCaptcha()
  @ApiErrorResponses(
    'auth.loginid.notfound',
    'auth.password.invalid',
    'request.rate.exceeded',
    'request.validation.failed',
  )
  login(@ClientApp() client: DemoClientApplication, @Body() body: LoginDto, @Ip() ip: string): Promise<IssuedSession> {
    return this.auth.login(client, body.login_id, body.password, ip);
  }

  /** Second factor: one of the user's one-time backup codes (attempts limited together with memorable letters). */
  @Post('second-factor/backup-code')
  @HttpCode(200)
  @SignedIn('second_factor')
  @ApiErrorResponses(
    'auth.backupcode.invalid',
    'auth.session.invalid',
    'request.rate.exceeded',
    'request.validation.failed',
  )
  async backupCode(
    @AuthPrincipal() principal: SessionPrincipal,
    @Body() body: BackupCodeDto,
    @Ip() ip: string,
  ): Promise<{ session_state: 'active' }> {
    await this.auth.useBackupCode(principal, body.backup_code, ip);
    return { session_state: 'active' };
  }

  /**
   * Second factor: the letters of the memorable word at the positions the login answer named. A wrong
   * answer names new positions (`memorable_positions` in the error body).
   */
  @Post('second-factor/memorable-letters')
  @HttpCode(200)
  @SignedIn('second_factor')
  @ApiErrorResponses(
    'auth.memorable.invalid',
    'auth.session.invalid',
    'request.rate.exceeded',
    'request.validation.failed',
  )
  async memorableLetters(
    @AuthPrincipal() principal: SessionPrincipal,
    @Body() body: MemorableLettersDto,
    @Ip() ip: string,
  ): Promise<{ session_state: 'active' }> {
    await this.auth.checkMemorableLetters(principal, body.memorable_letters, ip);
    return { session_state: 'active' };
  }

  /** Ends the session: its token is refused from now on with `auth.session.invalid`. */
  @Post('logout')
  @HttpCode(200)
  @SignedIn()
  @ApiErrorResponses('auth.session.invalid')
  logout(@AuthPrincipal() principal: SessionPrincipal): { session_state: 'ended' } {
    this.auth.logout(principal);
    return { session_state: 'ended' };
  }

  /**
   * Sign in with an OAuth provider: exchanges the provider's code for its user id, then finds the linked
   * user. The provider is `OAUTH_PROVIDER_URL`, or the demo provider in demo mode; with neither, every
   * code answers `auth.oauth.failed`.
   */
  @Post('oauth')
  @HttpCode(200)
  @RequireApiKey()
  @ApiErrorResponses('auth.oauth.failed', 'auth.oauth.notfound', 'server.unavailable', 'request.validation.failed')
  oauth(@ClientApp() client: DemoClientApplication, @Body() body: OAuthSignInDto): Promise<IssuedSession> {
    return this.auth.oauthSignIn(client, body.provider_code);
  }
}
