import type { ModuleMetadata } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import type { DestinationStream, Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module.js';
import { createFastifyAdapter, NEST_APP_OPTIONS, setupApp } from '../../src/app.setup.js';
import { CACHE_NAMESPACE } from '../../src/platform/cache/index.js';
import { loggingParams } from '../../src/platform/logging/index.js';
import {
  type AppConfig,
  appConfig,
  authConfig,
  type AuthConfig,
  databaseConfig,
  type DatabaseConfig,
  filesConfig,
  type FilesConfig,
  httpConfig,
  type HttpConfig,
  sharedStateConfig,
  type SharedStateConfig,
} from '../../src/config/index.js';
import { testAuthConfig } from '../helpers/tokens.js';
import { type TestBackend, testDatabaseConfig } from './backends.js';
import { createIsolatedSchema, type IsolatedSchema } from './isolated-schema.js';

export interface TestAppOptions {
  backend?: TestBackend;
  /** Overrides on top of the test auth config (HS256 with TEST_JWT_SECRET). */
  auth?: Partial<AuthConfig>;
  bodyLimit?: number;
  /** Rewrites the PostgreSQL URL the app connects to, e.g. to go through a fault-injecting proxy. */
  databaseUrl?: (url: string) => string;
  database?: Partial<DatabaseConfig>;
  /**
   * For backend 'postgres': use this schema instead of a fresh one (the caller creates and drops
   * it), so two apps can act as two replicas of one deployment.
   */
  schema?: IsolatedSchema;
  /** Cache key prefix; by default one per app, so apps sharing a Redis never share entries. */
  cacheNamespace?: string;
  http?: Partial<HttpConfig>;
  /** Upload limits and directory; by default a fresh temporary UPLOAD_DIR, removed on close. */
  files?: Partial<FilesConfig>;
  /** Cache, idempotency and rate limits; by default no Redis (in-process stores). */
  sharedState?: Partial<SharedStateConfig>;
  /** Test-only modules next to AppModule, e.g. a controller that exposes what a test observes. */
  imports?: ModuleMetadata['imports'];
  /**
   * Where the app's JSON log lines go (at `level`, default `info`). Without it the app logs
   * nothing. nestjs-pino keeps its logger for lines outside a request in a process-wide
   * singleton: only lines logged during requests are sure to reach the app built last.
   */
  logs?: { destination: DestinationStream; level?: AppConfig['logLevel'] };
}

export interface TestApp {
  app: NestFastifyApplication;
  backend: TestBackend;
  /** The app's UPLOAD_DIR, so tests can check what an upload left on disk. */
  uploadDir: string;
  close(): Promise<void>;
}

/**
 * The app exactly as main.ts builds it (AppModule, the same adapter options and setupApp),
 * with config namespaces overridden per suite. Requests go through `app.inject()`.
 *
 * Passport keeps strategies in one process-wide registry, so the JwtStrategy built last
 * verifies tokens for every live app: within one test file, keep apps with different `auth`
 * options from being open at the same time.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? 'pglite';
  const ownSchema = backend === 'postgres' && !options.schema ? await createIsolatedSchema() : undefined;
  const schema = backend === 'postgres' ? (options.schema ?? ownSchema) : undefined;
  const app = {
    ...appConfig(),
    nodeEnv: 'test' as const,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    logLevel: options.logs ? (options.logs.level ?? 'info') : ('silent' as const),
  };
  const auth = testAuthConfig(options.auth);
  const http: HttpConfig = { ...httpConfig(), shutdownDrainMs: 0, ...options.http };
  const sharedState: SharedStateConfig = { ...sharedStateConfig(), redisUrl: undefined, ...options.sharedState };
  const ownUploadDir = options.files?.uploadDir === undefined ? await mkdtemp(join(tmpdir(), 'data-api-files-')) : undefined;
  const files: FilesConfig = { ...filesConfig(), uploadDir: ownUploadDir!, ...options.files };
  const removeOwnUploadDir = async () => {
    if (ownUploadDir) await rm(ownUploadDir, { recursive: true, force: true });
  };
  try {
    const url = schema && (options.databaseUrl ? options.databaseUrl(schema.url) : schema.url);
    const database = testDatabaseConfig(url, options.database);
    const cacheNamespace = options.cacheNamespace ?? `test-${randomUUID()}`;
    return await buildTestApp(
      { app, auth, http, database, files, sharedState, cacheNamespace, logDestination: options.logs?.destination, imports: options.imports },
      backend,
      async () => {
        await ownSchema?.drop();
        await removeOwnUploadDir();
      },
    );
  } catch (error) {
    await ownSchema?.drop();
    await removeOwnUploadDir();
    throw error;
  }
}

interface TestConfig {
  app: AppConfig;
  auth: AuthConfig;
  http: HttpConfig;
  database: DatabaseConfig;
  files: FilesConfig;
  sharedState: SharedStateConfig;
  cacheNamespace: string;
  logDestination?: DestinationStream;
  imports?: ModuleMetadata['imports'];
}

async function buildTestApp(
  { app, auth, http, database, files, sharedState, cacheNamespace, logDestination, imports = [] }: TestConfig,
  backend: TestBackend,
  cleanUp: () => Promise<void>,
): Promise<TestApp> {
  const adapter = createFastifyAdapter(app, http, logDestination);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule, ...imports] })
    .overrideProvider(appConfig.KEY)
    .useValue(app)
    .overrideProvider(authConfig.KEY)
    .useValue(auth)
    .overrideProvider(databaseConfig.KEY)
    .useValue(database)
    .overrideProvider(filesConfig.KEY)
    .useValue(files)
    .overrideProvider(httpConfig.KEY)
    .useValue(http)
    .overrideProvider(sharedStateConfig.KEY)
    .useValue(sharedState)
    .overrideProvider(CACHE_NAMESPACE)
    .useValue(cacheNamespace)
    // A testing module builds its providers before it is given the adapter (see LoggingModule).
    .overrideProvider(PARAMS_PROVIDER_TOKEN)
    .useValue(loggingParams(adapter.getInstance().log as Logger))
    .compile();
  const nest = moduleRef.createNestApplication<NestFastifyApplication>(adapter, NEST_APP_OPTIONS);
  nest.useLogger(false);
  await setupApp(nest);
  await nest.init();
  await nest.getHttpAdapter().getInstance().ready();
  return {
    app: nest,
    backend,
    uploadDir: files.uploadDir,
    close: async () => {
      await nest.close();
      await cleanUp();
    },
  };
}
