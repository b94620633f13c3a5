import { Body, Controller, Post } from '@nestjs/common';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  ApiErrorResponses,
  ProfileIdentifierUsedException,
  RequestValidationFailedException,
  RequireApiKey,
  RequireCaptcha,
  RequireDisclaimers,
} from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { DEMO } from '../database/demo-data.js';
import { assertIdentifierFree, isUniqueViolation, normaliseIdentifier } from '../profile/identifiers.js';
import { PasswordHasher } from '../security/password-hasher.js';

export class CreateAccountDto {
  @IsString()
  @Matches(/^[a-z0-9._-]{3,32}$/, { message: 'login_id must be 3 to 32 of a-z, 0-9, ".", "_" and "-"' })
  login_id!: string;
  @IsString() @MinLength(12) @MaxLength(200) password!: string;
  /** Checked for shape by the DTO; whether it is a usable identifier is `profile.identifier.invalid`. */
  @IsString() @IsNotEmpty() @MaxLength(320) email!: string;
  @IsOptional() @IsString() @MaxLength(32) phone?: string;
}

@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly database: DatabaseService,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Sign up: the client application's key, a captcha, and both disclaimers accepted
   * (`accept_disclaimers: ["terms-2026-01", "privacy-2026-01"]`).
   */
  @Post()
  @RequireApiKey()
  @RequireCaptcha()
  @RequireDisclaimers(...DEMO.disclaimers)
  @ApiErrorResponses('profile.identifier.used', 'profile.identifier.invalid', 'request.validation.failed')
  async create(@Body() body: CreateAccountDto): Promise<{ id: number; login_id: string }> {
    const db = this.database.db;
    const email = normaliseIdentifier('email', body.email);
    const phone = body.phone === undefined ? null : normaliseIdentifier('phone', body.phone);
    if (db.prepare('SELECT 1 FROM users WHERE login_id = ?').get(body.login_id) !== undefined) {
      throw new RequestValidationFailedException({ login_id: ['This login id is taken.'] });
    }
    assertIdentifierFree(db, 'email', email);
    if (phone !== null) {
      assertIdentifierFree(db, 'phone', phone);
    }
    const passwordHash = await this.hasher.hash(body.password);
    try {
      const result = db
        .prepare(
          "INSERT INTO users (login_id, password_hash, email, phone, critical_auth_method) VALUES (?, ?, ?, ?, 'password')",
        )
        .run(body.login_id, passwordHash, email, phone);
      return { id: Number(result.lastInsertRowid), login_id: body.login_id };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProfileIdentifierUsedException();
      }
      throw error;
    }
  }
}
