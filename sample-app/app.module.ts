import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { ApiErrorsModule, ObjectIdNotFoundException } from 'nestjs-api-errors';

class CreateNoteDto {
  @IsString()
  @Length(1, 200)
  text!: string;
}

interface Note {
  id: number;
  text: string;
}

/**
 * A placeholder until the sample app of issue #5: notes kept in memory, enough to see the success
 * envelope, a not-found error and a validation error with curl.
 */
@Controller('notes')
export class NotesController {
  private readonly notes = new Map<number, Note>([[1, { id: 1, text: 'Hello from nestjs-api-errors' }]]);

  @Get()
  list(): Note[] {
    return [...this.notes.values()];
  }

  @Get(':id')
  get(@Param('id') id: string): Note {
    const note = this.notes.get(Number(id));
    if (note === undefined) {
      throw new ObjectIdNotFoundException([`Note ${Number(id)} does not exist.`]);
    }
    return note;
  }

  @Post()
  create(@Body() body: CreateNoteDto): Note {
    const note = { id: this.notes.size + 1, text: body.text };
    this.notes.set(note.id, note);
    return note;
  }
}

@Module({
  imports: [ApiErrorsModule.forRoot()],
  controllers: [NotesController],
})
export class AppModule {}
