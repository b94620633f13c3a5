import { Module, type DynamicModule } from '@nestjs/common';
import { ApiErrorsModule, MemoryStore, RedisStore, type ApiErrorsModuleOptions } from 'nestjs-api-errors';
import { AccountsController } from './accounts/accounts.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { SAMPLE_CONFIG, type SampleConfig } from './config.js';
import { CoreModule } from './core.module.js';
import { DatabaseService } from './database/database.service.js';
import { DemoOAuthProviderController } from './oauth/demo-oauth-provider.controller.js';
import { ObjectsController } from './objects/objects.controller.js';
import { PartnerController } from './partner/partner.controller.js';
import { ProfileController } from './profile/profile.controller.js';
import { RecoveryController } from './recovery/recovery.controller.js';
import { SearchController } from './search/search.controller.js';
import { DemoCaptchaVerifier } from './security/demo-captcha.verifier.js';
import { DemoSmsGateway } from './security/demo-sms.gateway.js';
import { SessionsService, TOKEN_AUDIENCE, TOKEN_ISSUER } from './security/sessions.service.js';
import { DatabaseApiKeyValidator, signingKeys, UserCriticalAuth } from './security/users.collaborators.js';

/**
 * The sample API. `ApiErrorsModule.forRootAsync()` gets every collaborator from the application: API
 * keys and signing keys from the database, session tokens checked by the package's JWT verifier and
 * then against the sessions table, the demo captcha and SMS gateway, and Redis when `REDIS_URL` is set.
 * The package's `AttemptLimiter` (on the same store) limits guesses at passwords and second factors.
 * The demo OAuth provider is mounted in demo mode only.
 */
@Module({})
export class SampleAppModule {
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: SampleAppModule,
      imports: [
        CoreModule.forRoot(config),
        ApiErrorsModule.forRootAsync({
          inject: [
            SAMPLE_CONFIG,
            DatabaseService,
            SessionsService,
            DatabaseApiKeyValidator,
            UserCriticalAuth,
            DemoSmsGateway,
          ],
          useFactory: async (
            sampleConfig: SampleConfig,
            database: DatabaseService,
            sessions: SessionsService,
            apiKeys: DatabaseApiKeyValidator,
            criticalAuth: UserCriticalAuth,
            sms: DemoSmsGateway,
          ): Promise<ApiErrorsModuleOptions> => ({
            clientErrorLogLevel: sampleConfig.clientErrorLogLevel,
            apiKey: { validator: apiKeys },
            bearer: {
              secret: sessions.signingKey,
              algorithms: ['HS256'],
              issuer: TOKEN_ISSUER,
              audience: TOKEN_AUDIENCE,
              now: sampleConfig.now,
              principal: claims => sessions.principalFor(claims),
            },
            signature: { keys: signingKeys(database) },
            captcha: { verifier: new DemoCaptchaVerifier() },
            criticalAuth: {
              policy: criticalAuth,
              passwordVerifier: criticalAuth,
              otpSender: sms,
              otpSecret: database.secret('otp-hash-key'),
            },
            store:
              sampleConfig.redisUrl === undefined
                ? new MemoryStore()
                : await RedisStore.create({ url: sampleConfig.redisUrl, keyPrefix: sampleConfig.redisKeyPrefix }),
          }),
        }),
      ],
      controllers: [
        AuthController,
        AccountsController,
        RecoveryController,
        ProfileController,
        ObjectsController,
        SearchController,
        PartnerController,
        // Signs anyone in as whoever a `demo:` code names: demo mode only.
        ...(config.demoMode ? [DemoOAuthProviderController] : []),
      ],
      providers: [AuthService],
    };
  }
}
