import { Body, Controller, Post } from '@nestjs/common';
import { IsInt, IsString, Matches, Min } from 'class-validator';
import { ApiErrorResponses, AuthPrincipal, RequireAuthorization, type Principal } from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';

export class PartnerReportDto {
  @IsString() @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/, { message: 'period is a month such as 2026-11' }) period!: string;
  @IsInt() @Min(0) total!: number;
}

/** Machine to machine: partners sign each request (`Authorization: Signature …`); Bearer tokens are not accepted here. */
@Controller('partner')
export class PartnerController {
  constructor(private readonly database: DatabaseService) {}

  @Post('reports')
  @RequireAuthorization({ schemes: ['signature'] })
  @ApiErrorResponses('request.validation.failed')
  report(@AuthPrincipal() principal: Principal & { keyId: string }, @Body() body: PartnerReportDto): object {
    const id = this.database.db
      .prepare('INSERT INTO partner_reports (key_id, period, total) VALUES (?, ?, ?)')
      .run(principal.keyId, body.period, body.total).lastInsertRowid;
    return { id: Number(id), period: body.period, total: body.total, partner: principal.id };
  }
}
