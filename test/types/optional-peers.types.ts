// Compiled by `npm run typecheck`, never run: the package's own types for what the optional peers
// supply (JWT claims, Redis clients, OpenAPI documents) must take the real packages' objects as they
// are, without casts, and hand back what those packages take. A line that stops compiling is a break
// for users who have the peer installed.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type SwaggerDocumentOptions } from '@nestjs/swagger';
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import type { JWTPayload } from 'jose';
import {
  JwtTokenVerifier,
  RedisStore,
  createApiErrorsDocument,
  type JwtClaims,
  type Principal,
  type RedisStoreClient,
} from 'nestjs-api-errors';

/** Fails to compile unless A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// jose: a principal callback written for jose's JWTPayload is accepted, and our claims are jose's.
const fromJosePayload = (claims: JWTPayload): Principal => ({ id: String(claims.sub), claims });
export const verifier = new JwtTokenVerifier({
  secret: 'x'.repeat(32),
  algorithms: ['HS256'],
  principal: fromJosePayload,
});
export const withOurClaims = new JwtTokenVerifier({
  secret: 'x'.repeat(32),
  algorithms: ['HS256'],
  principal: (claims: JwtClaims) => {
    const payload: JWTPayload = claims;
    return { id: payload.sub ?? '', issuer: claims.iss, audience: claims.aud, expires: claims.exp };
  },
});
assertType<Equal<Required<JwtClaims>['aud'], Required<JWTPayload>['aud']>>();
assertType<Equal<Required<JwtClaims>['exp'], Required<JWTPayload>['exp']>>();

// ioredis: a Redis (standalone or Sentinel) and a Cluster are clients as they are; RedisOptions fits.
declare const redis: Redis;
declare const sentinel: Redis;
declare const cluster: Cluster;
declare const redisOptions: RedisOptions;
export const stores = [
  RedisStore.create({ client: redis }),
  RedisStore.create({ client: sentinel, keyPrefix: 'app:' }),
  RedisStore.create({ client: cluster }),
  RedisStore.create({ url: 'redis://127.0.0.1:6379', redisOptions }),
  RedisStore.create({ url: 'redis://127.0.0.1:6379', redisOptions: { password: 'secret', tls: {}, family: 6 } }),
];
export const clients: RedisStoreClient[] = [redis, cluster, new Redis({ lazyConnect: true })];
export async function healthCheck(store: RedisStore): Promise<string> {
  return store.client.ping();
}

// @nestjs/swagger: DocumentBuilder's configuration in, an OpenAPIObject out, for SwaggerModule.setup().
declare const documentOptions: SwaggerDocumentOptions;
export async function serveDocs(app: INestApplication): Promise<void> {
  const config = new DocumentBuilder().setTitle('My API').setVersion('1').build();
  const document = await createApiErrorsDocument(app, config, documentOptions);
  assertType<Equal<typeof document, OpenAPIObject>>();
  SwaggerModule.setup('docs', app, document);
  SwaggerModule.setup('docs', app, await createApiErrorsDocument(app, config, { deepScanRoutes: true }));
  const responses: unknown = document.paths['/orders']?.post?.responses;
  void responses;
}
