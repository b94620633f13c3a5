import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiErrorResponses, AuthPrincipal, ClientApp, SearchTypeRestrictedException } from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { SignedIn } from '../security/signed-in.decorator.js';
import type { SessionPrincipal } from '../security/sessions.service.js';
import type { DemoClientApplication } from '../security/users.collaborators.js';

const SEARCH_TYPES = ['objects', 'notes', 'users', 'members'] as const;

export class SearchQuery {
  /** What to search; each client application may search only some types (`users` is restricted for the demo app). */
  @IsIn(SEARCH_TYPES) type!: (typeof SEARCH_TYPES)[number];
  @IsOptional() @IsString() @MaxLength(100) q?: string;
}

@Controller('search')
@SignedIn()
export class SearchController {
  constructor(private readonly database: DatabaseService) {}

  @Get()
  @ApiErrorResponses('search.type.restricted', 'request.validation.failed')
  search(
    @AuthPrincipal() principal: SessionPrincipal,
    @ClientApp() client: DemoClientApplication,
    @Query() query: SearchQuery,
  ): object[] {
    if (!client.searchTypes.includes(query.type)) {
      throw new SearchTypeRestrictedException([`${client.name} may search ${client.searchTypes.join(', ')}.`]);
    }
    const pattern = `%${(query.q ?? '').replace(/[%_\\]/g, c => `\\${c}`)}%`;
    const typeFilter = query.type === 'notes' ? "AND type = 'note'" : '';
    const rows = this.database.db
      .prepare(
        `SELECT id, type, name, shared FROM objects WHERE (owner_id = ? OR shared = 1) ${typeFilter} AND name LIKE ? ESCAPE '\\' ORDER BY id LIMIT 50`,
      )
      .all(principal.userId, pattern) as { id: number; type: string; name: string; shared: number }[];
    return rows.map(row => ({ ...row, shared: row.shared === 1 }));
  }
}
