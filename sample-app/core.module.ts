import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SAMPLE_CONFIG, type SampleConfig } from './config.js';
import { DatabaseService } from './database/database.service.js';
import { OAuthClient } from './oauth/oauth.client.js';
import { DemoSmsGateway } from './security/demo-sms.gateway.js';
import { loadMemorableWordKey, MemorableWords } from './security/memorable-words.js';
import { PasswordHasher } from './security/password-hasher.js';
import { SessionsService } from './security/sessions.service.js';
import { DatabaseApiKeyValidator, UserCriticalAuth } from './security/users.collaborators.js';

const services = [SessionsService, DemoSmsGateway, DatabaseApiKeyValidator, UserCriticalAuth, OAuthClient];

/**
 * The configuration, the password hasher, the memorable-word cipher, the database (opened, migrated and
 * seeded before anything else starts) and the services on it.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SAMPLE_CONFIG, useValue: config },
        {
          provide: PasswordHasher,
          inject: [SAMPLE_CONFIG],
          useFactory: (sampleConfig: SampleConfig) => new PasswordHasher(sampleConfig.scrypt),
        },
        {
          provide: MemorableWords,
          inject: [SAMPLE_CONFIG],
          useFactory: (sampleConfig: SampleConfig) => new MemorableWords(loadMemorableWordKey(sampleConfig)),
        },
        {
          provide: DatabaseService,
          inject: [SAMPLE_CONFIG, PasswordHasher, MemorableWords],
          useFactory: async (sampleConfig: SampleConfig, hasher: PasswordHasher, memorableWords: MemorableWords) => {
            const database = new DatabaseService(sampleConfig, hasher, memorableWords);
            await database.open();
            return database;
          },
        },
        ...services,
      ],
      exports: [SAMPLE_CONFIG, PasswordHasher, MemorableWords, DatabaseService, ...services],
    };
  }
}
