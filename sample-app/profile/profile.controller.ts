import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import {
  ApiErrorResponses,
  AuthPrincipal,
  CriticalAuth,
  MemberDataInvalidException,
  OAuthIdentifierUsedException,
  ProfileIdentifierUsedException,
} from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { OAuthClient } from '../oauth/oauth.client.js';
import { SignedIn } from '../security/signed-in.decorator.js';
import type { SessionPrincipal } from '../security/sessions.service.js';
import { assertIdentifierFree, isUniqueViolation, normaliseIdentifier, type IdentifierKind } from './identifiers.js';

export class ChangeEmailDto {
  @IsString() @IsNotEmpty() @MaxLength(320) email!: string;
}

export class ChangePhoneDto {
  @IsString() @IsNotEmpty() @MaxLength(32) phone!: string;
}

export class LinkOAuthDto {
  @IsString() @IsNotEmpty() @MaxLength(500) provider_code!: string;
}

export class MembershipDto {
  @IsString() @Matches(/^M-[0-9]{4,8}$/, { message: 'member_number looks like M-1001' }) member_number!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) surname!: string;
  @IsString()
  @Matches(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, { message: 'date_of_birth is a date such as 1990-04-01' })
  date_of_birth!: string;
}

interface ProfileRow {
  id: number;
  login_id: string;
  status: string;
  email: string | null;
  phone: string | null;
  second_factor: number;
  critical_auth_method: string;
  member_number: string | null;
}

@Controller('me')
@SignedIn()
export class ProfileController {
  constructor(
    private readonly database: DatabaseService,
    private readonly oauth: OAuthClient,
  ) {}

  @Get()
  profile(@AuthPrincipal() principal: SessionPrincipal): object {
    const row = this.database.db
      .prepare(
        'SELECT id, login_id, status, email, phone, second_factor, critical_auth_method, member_number FROM users WHERE id = ?',
      )
      .get(principal.userId) as ProfileRow;
    // `status` belongs to the envelope, so the profile's own is `account_status`.
    const { status, ...profile } = row;
    return { ...profile, account_status: status, second_factor: profile.second_factor === 1 };
  }

  /** Changing a primary identifier is a critical change: the password or an SMS one-time password first. */
  @Put('email')
  @CriticalAuth()
  @ApiErrorResponses('profile.identifier.used', 'profile.identifier.invalid', 'request.validation.failed')
  changeEmail(@AuthPrincipal() principal: SessionPrincipal, @Body() body: ChangeEmailDto): object {
    return this.change(principal, 'email', body.email);
  }

  @Put('phone')
  @CriticalAuth()
  @ApiErrorResponses('profile.identifier.used', 'profile.identifier.invalid', 'request.validation.failed')
  changePhone(@AuthPrincipal() principal: SessionPrincipal, @Body() body: ChangePhoneDto): object {
    return this.change(principal, 'phone', body.phone);
  }

  /**
   * Links an OAuth provider's account to this profile (a provider account belongs to one profile per
   * client). A new way to sign in is a critical change: the password or an SMS one-time password first.
   */
  @Post('oauth-links')
  @CriticalAuth()
  @ApiErrorResponses('oauth.identifier.used', 'auth.oauth.failed', 'server.unavailable', 'request.validation.failed')
  async linkOAuth(@AuthPrincipal() principal: SessionPrincipal, @Body() body: LinkOAuthDto): Promise<object> {
    const subject = await this.oauth.subjectFor(body.provider_code);
    const db = this.database.db;
    const existing = db
      .prepare('SELECT user_id FROM oauth_links WHERE client_id = ? AND provider = ? AND subject = ?')
      .get(principal.clientId, this.oauth.provider, subject) as { user_id: number } | undefined;
    if (existing !== undefined && existing.user_id !== principal.userId) {
      throw new OAuthIdentifierUsedException();
    }
    db.prepare('INSERT OR IGNORE INTO oauth_links (client_id, provider, subject, user_id) VALUES (?, ?, ?, ?)').run(
      principal.clientId,
      this.oauth.provider,
      subject,
      principal.userId,
    );
    return { provider: this.oauth.provider, subject };
  }

  /** Links a membership of the register: number, surname and date of birth must all match an entry. */
  @Post('membership')
  @ApiErrorResponses('member.data.invalid', 'request.validation.failed')
  membership(@AuthPrincipal() principal: SessionPrincipal, @Body() body: MembershipDto): object {
    const db = this.database.db;
    const member = db
      .prepare('SELECT surname, date_of_birth FROM members WHERE member_number = ?')
      .get(body.member_number) as { surname: string; date_of_birth: string } | undefined;
    const holder = db.prepare('SELECT id FROM users WHERE member_number = ?').get(body.member_number) as
      { id: number } | undefined;
    const matches =
      member !== undefined &&
      member.surname.localeCompare(body.surname.trim(), 'en', { sensitivity: 'base' }) === 0 &&
      member.date_of_birth === body.date_of_birth &&
      (holder === undefined || holder.id === principal.userId);
    if (!matches) {
      // One answer for every mismatch: the register is not to be probed field by field.
      throw new MemberDataInvalidException();
    }
    db.prepare('UPDATE users SET member_number = ? WHERE id = ?').run(body.member_number, principal.userId);
    return { member_number: body.member_number };
  }

  private change(principal: SessionPrincipal, kind: IdentifierKind, value: string): object {
    const normalised = normaliseIdentifier(kind, value);
    const db = this.database.db;
    assertIdentifierFree(db, kind, normalised, principal.userId);
    try {
      db.prepare(`UPDATE users SET ${kind} = ? WHERE id = ?`).run(normalised, principal.userId);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProfileIdentifierUsedException();
      }
      throw error;
    }
    return { [kind]: normalised };
  }
}
