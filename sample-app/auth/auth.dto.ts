import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  /** The user's login id. */
  @IsString() @IsNotEmpty() @MaxLength(100) login_id!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

export class BackupCodeDto {
  @IsString() @IsNotEmpty() @MaxLength(50) backup_code!: string;
}

export class MemorableLettersDto {
  /** The letters asked for at login, by position: `{ "2": "i", "5": "t" }`. */
  @IsObject() memorable_letters!: Record<string, string>;
}

export class OAuthSignInDto {
  /** The authorization code the provider gave the client. */
  @IsString() @IsNotEmpty() @MaxLength(500) provider_code!: string;
}
