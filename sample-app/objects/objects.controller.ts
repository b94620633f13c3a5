import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  AccessRestrictedException,
  ApiErrorResponses,
  AuthPrincipal,
  ObjectIdNotFoundException,
  ObjectLimitExceededException,
} from 'nestjs-api-errors';
import { DatabaseService } from '../database/database.service.js';
import { DEMO } from '../database/demo-data.js';
import { SignedIn } from '../security/signed-in.decorator.js';
import type { SessionPrincipal } from '../security/sessions.service.js';

export class CreateObjectDto {
  @IsIn(DEMO.objectTypes) type!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  /** Shared objects can be read (not changed) by every signed-in user. */
  @IsOptional() @IsBoolean() shared?: boolean;
}

/** Path parameters: a failure is keyed by the parameter's name (`{ "id": [...] }`). */
export class ObjectIdParams {
  @Matches(/^[1-9][0-9]{0,14}$/, { message: 'id must be a positive whole number' }) id!: string;
}

interface ObjectRow {
  id: number;
  owner_id: number;
  type: string;
  name: string;
  shared: number;
  created_at: string;
}

const view = (row: ObjectRow): object => ({ ...row, shared: row.shared === 1 });

@Controller('objects')
@SignedIn()
export class ObjectsController {
  constructor(private readonly database: DatabaseService) {}

  @Get()
  list(@AuthPrincipal() principal: SessionPrincipal): object[] {
    return (
      this.database.db
        .prepare('SELECT * FROM objects WHERE owner_id = ? ORDER BY id')
        .all(principal.userId) as ObjectRow[]
    ).map(view);
  }

  /** Each user keeps at most `object_limit` objects (3 for the demo users). */
  @Post()
  @ApiErrorResponses('object.limit.exceeded', 'request.validation.failed')
  create(@AuthPrincipal() principal: SessionPrincipal, @Body() body: CreateObjectDto): object {
    const db = this.database.db;
    // Count and insert in one transaction, so that parallel requests cannot overshoot the limit.
    return db
      .transaction(() => {
        const { object_limit: limit } = db
          .prepare('SELECT object_limit FROM users WHERE id = ?')
          .get(principal.userId) as { object_limit: number };
        const { n } = db.prepare('SELECT count(*) AS n FROM objects WHERE owner_id = ?').get(principal.userId) as {
          n: number;
        };
        if (n >= limit) {
          throw new ObjectLimitExceededException([`You have ${n} objects, the most you can keep. Delete one first.`]);
        }
        const id = db
          .prepare('INSERT INTO objects (owner_id, type, name, shared) VALUES (?, ?, ?, ?)')
          .run(principal.userId, body.type, body.name, body.shared ? 1 : 0).lastInsertRowid;
        return view(db.prepare('SELECT * FROM objects WHERE id = ?').get(id) as ObjectRow);
      })
      .immediate();
  }

  @Get(':id')
  @ApiErrorResponses('object.id.notfound', 'auth.restricted', 'request.validation.failed')
  get(@AuthPrincipal() principal: SessionPrincipal, @Param() params: ObjectIdParams): object {
    const row = this.find(Number(params.id));
    if (row.owner_id !== principal.userId && row.shared !== 1) {
      throw new AccessRestrictedException(['This object belongs to another user and is not shared.']);
    }
    return view(row);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiErrorResponses('object.id.notfound', 'auth.restricted', 'request.validation.failed')
  remove(@AuthPrincipal() principal: SessionPrincipal, @Param() params: ObjectIdParams): { deleted: number } {
    const id = Number(params.id);
    const row = this.find(id);
    if (row.owner_id !== principal.userId) {
      throw new AccessRestrictedException(['Only the owner can delete an object.']);
    }
    this.database.db.prepare('DELETE FROM objects WHERE id = ?').run(id);
    return { deleted: id };
  }

  private find(id: number): ObjectRow {
    const row = this.database.db.prepare('SELECT * FROM objects WHERE id = ?').get(id) as ObjectRow | undefined;
    if (row === undefined) {
      throw new ObjectIdNotFoundException([`There is no object ${id}.`]);
    }
    return row;
  }
}
