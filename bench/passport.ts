// The guarded route built the way most Nest apps do it today: @nestjs/passport with passport-jwt for the
// Bearer token and passport-headerapikey for the API key, two AuthGuards in a row, as their docs show.
// PASSPORT_SECRET=string gives passport-jwt the secret as a string (the docs' way: jsonwebtoken then
// tries it as a public key on every request); PASSPORT_SECRET=key gives it a KeyObject (the peer at its best).
import { Controller, Get, Injectable, Module, UnauthorizedException, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';

const apiKey = process.env.BENCH_API_KEY ?? 'bench-api-key-0123456789';
const secret = process.env.BENCH_JWT_SECRET ?? 'bench-jwt-secret-0123456789abcdef';

@Injectable()
class BearerStrategy extends PassportStrategy(JwtStrategy, 'jwt') {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken takes a KeyObject; passport-jwt's types only say string | Buffer.
      secretOrKey:
        process.env.PASSPORT_SECRET === 'key' ? (createSecretKey(Buffer.from(secret)) as unknown as string) : secret,
      algorithms: ['HS256'],
    });
  }

  validate(payload: { sub?: string }): { id: string } {
    if (typeof payload.sub !== 'string') {
      throw new UnauthorizedException();
    }
    return { id: payload.sub };
  }
}

@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'headerapikey') {
  constructor() {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(key: string): { id: string } {
    if (key !== apiKey) {
      throw new UnauthorizedException();
    }
    return { id: 'bench' };
  }
}

@Controller()
class PassportGuardedController {
  @Get('ok')
  ok(): { id: number; name: string; tags: string[] } {
    return { id: 1, name: 'bench', tags: ['a', 'b'] };
  }

  @Get('guarded')
  @UseGuards(AuthGuard('headerapikey'), AuthGuard('jwt'))
  guarded(): { id: number; name: string; tags: string[] } {
    return { id: 1, name: 'bench', tags: ['a', 'b'] };
  }
}

@Module({
  imports: [PassportModule],
  controllers: [PassportGuardedController],
  providers: [BearerStrategy, ApiKeyStrategy],
})
export class PassportBenchModule {}
