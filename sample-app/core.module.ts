import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SAMPLE_CONFIG, type SampleConfig } from './config.js';
import { DatabaseService } from './database/database.service.js';
import { OAuthClient } from './oauth/oauth.client.js';
import { DemoSmsGateway } from './security/demo-sms.gateway.js';
import { SessionsService } from './security/sessions.service.js';
import { DatabaseApiKeyValidator, UserCriticalAuth } from './security/users.collaborators.js';

const services = [SessionsService, DemoSmsGateway, DatabaseApiKeyValidator, UserCriticalAuth, OAuthClient];

/** The configuration, the database (opened, migrated and seeded before anything else starts) and the services on it. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: SampleConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: SAMPLE_CONFIG, useValue: config },
        {
          provide: DatabaseService,
          inject: [SAMPLE_CONFIG],
          useFactory: async (sampleConfig: SampleConfig) => {
            const database = new DatabaseService(sampleConfig);
            await database.open();
            return database;
          },
        },
        ...services,
      ],
      exports: [SAMPLE_CONFIG, DatabaseService, ...services],
    };
  }
}
