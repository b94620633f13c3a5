// One benchmark server: `node dist/bench/server.js <express|fastify> <plain|ours> <port>`.
// "plain" is plain NestJS with its ValidationPipe and default filter; "ours" the same app with
// ApiErrorsModule and createValidationPipe(); "passport" plain NestJS with the guarded route built on
// @nestjs/passport (see passport.ts). Both log at the same levels (stdout goes nowhere).
// BENCH_OPTIONS (JSON) is merged into the module's options; BENCH_LOGGER=plain-write swaps Nest's
// ConsoleLogger for a one-write-per-line logger, BENCH_LOGGER=pino for nestjs-pino writing to /dev/null
// through pino's documented asynchronous destination, `pino.destination({ minLength: 4096, sync: false })`
// (BENCH_PINO_MIN_LENGTH changes minLength); BENCH_LOGGER=pino-logger is nestjs-pino's logger without its
// per-request middleware (`forRoutes: []`).
import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  Module,
  Post,
  UnauthorizedException,
  ValidationPipe,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsEmail, IsInt, IsString, Length, Min } from 'class-validator';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import {
  ApiErrorsModule,
  RequireApiKey,
  RequireAuthorization,
  TokenInvalidException,
  createValidationPipe,
} from 'nestjs-api-errors';

const [adapterName = 'fastify', variant = 'plain', port = '3100'] = process.argv.slice(2);
const ours = variant === 'ours';
const passport = variant === 'passport';
const withPino = process.env.BENCH_LOGGER === 'pino' || process.env.BENCH_LOGGER === 'pino-logger';

class SignUpDto {
  @IsString()
  @Length(3, 20)
  name!: string;

  @IsEmail()
  email!: string;

  @IsInt()
  @Min(18)
  age!: number;

  @IsString()
  @Length(8, 64)
  password!: string;
}

@Controller()
class BenchController {
  @Get('ok')
  ok(): { id: number; name: string; tags: string[] } {
    return { id: 1, name: 'bench', tags: ['a', 'b'] };
  }

  @Get('thrown')
  thrown(): never {
    throw ours ? new TokenInvalidException() : new UnauthorizedException();
  }

  @Post('dto')
  dto(@Body() body: SignUpDto): SignUpDto {
    return body;
  }
}

@Controller()
class GuardedController {
  @Get('guarded')
  @RequireApiKey()
  @RequireAuthorization({ schemes: ['bearer'] })
  guarded(): { id: number; name: string; tags: string[] } {
    return { id: 1, name: 'bench', tags: ['a', 'b'] };
  }
}

const moduleOptions = {
  apiKey: { keys: [{ key: process.env.BENCH_API_KEY ?? 'bench-api-key-0123456789', client: { id: 'bench' } }] },
  bearer: { secret: process.env.BENCH_JWT_SECRET ?? 'bench-jwt-secret-0123456789abcdef', algorithms: ['HS256'] },
};

/**
 * nestjs-pino set up as usual, without its per-request access log (plain Nest has none) and with only the
 * request id on each line (pino-http's request serializer would add the headers and the query). As the
 * application's logger only, without the middleware that binds a logger to each request, it runs nothing
 * per request: the lines lose pino-http's request id, and keep the error id, method and path.
 */
const pinoModule = (middleware: boolean): DynamicModule =>
  LoggerModule.forRoot({
    pinoHttp: [
      { autoLogging: false, quietReqLogger: true },
      pino.destination({
        dest: '/dev/null',
        minLength: Number(process.env.BENCH_PINO_MIN_LENGTH ?? 4096),
        sync: false,
      }),
    ],
    ...(middleware ? {} : { forRoutes: [] }),
  });

@Module({
  imports: [
    ...(ours
      ? [ApiErrorsModule.forRoot({ ...moduleOptions, ...(JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as object) })]
      : []),
    ...(withPino ? [pinoModule(process.env.BENCH_LOGGER === 'pino')] : []),
  ],
  controllers: ours ? [BenchController, GuardedController] : [BenchController],
})
class BenchModule {}

async function main(): Promise<void> {
  const adapter = adapterName === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const root = passport ? (await import('./passport.js')).PassportBenchModule : BenchModule;
  const app: INestApplication = await NestFactory.create(root, adapter, {
    logger: ['error', 'warn', 'log'],
    bufferLogs: withPino,
  });
  if (withPino) {
    app.useLogger(app.get(PinoNestLogger));
  }
  if (process.env.BENCH_LOGGER === 'plain-write') {
    // A minimal logger: one write per line, as pino-like loggers do.
    const write = (level: string) => (message: unknown) => void process.stdout.write(`${level} ${String(message)}\n`);
    app.useLogger({ log: write('log'), error: write('error'), warn: write('warn') });
  }
  app.useGlobalPipes(ours ? createValidationPipe() : new ValidationPipe());
  await app.listen(Number(port), '127.0.0.1');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
