import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './auth/index.js';
import { configNamespaces } from './config/index.js';
import { CoreModule } from './core/core.module.js';
import { DataModule } from './modules/data/data.module.js';
import { FilesModule } from './modules/files/files.module.js';
import { CacheModule } from './platform/cache/index.js';
import { DatabaseModule } from './platform/database/index.js';
import { HealthModule } from './platform/health/index.js';
import { IdempotencyModule } from './platform/idempotency/index.js';
import { LoggingModule } from './platform/logging/index.js';
import { MetricsModule } from './platform/metrics/index.js';
import { RateLimitModule } from './platform/rate-limit/index.js';

/** Composition root: config, core pipeline, platform, auth, then team modules. */
@Module({
  imports: [
    // main.ts loads `.env` itself, before it validates config: Nest only reads the namespaces.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configNamespaces }),
    LoggingModule,
    CoreModule,
    DatabaseModule,
    HealthModule,
    MetricsModule,
    CacheModule,
    IdempotencyModule,
    AuthModule,
    // After AuthModule: its global guard must run after JwtAuthGuard, to key by the token's sub.
    RateLimitModule,
    // Team modules: one line each.
    DataModule,
    FilesModule,
  ],
})
export class AppModule {}
