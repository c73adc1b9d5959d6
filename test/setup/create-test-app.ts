import { createSecretKey } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { createFastifyAdapter, NEST_APP_OPTIONS, setupApp } from '../../src/app.setup.js';
import { type AppConfig, appConfig, authConfig, type AuthConfig, databaseConfig } from '../../src/config/index.js';
import { TEST_JWT_SECRET } from '../helpers/tokens.js';
import type { TestBackend } from './backends.js';
import { createIsolatedSchema, type IsolatedSchema } from './isolated-schema.js';

export interface TestAppOptions {
  backend?: TestBackend;
  /** Overrides on top of the test auth config (HS256 with TEST_JWT_SECRET). */
  auth?: Partial<AuthConfig>;
  bodyLimit?: number;
}

export interface TestApp {
  app: NestFastifyApplication;
  backend: TestBackend;
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
  const schema = backend === 'postgres' ? await createIsolatedSchema() : undefined;
  const app = { ...appConfig(), nodeEnv: 'test' as const, bodyLimit: options.bodyLimit ?? 1024 * 1024 };
  const auth: AuthConfig = {
    verification: {
      kind: 'secret',
      key: createSecretKey(Buffer.from(TEST_JWT_SECRET)),
      algorithms: ['HS256'],
      ephemeral: false,
    },
    issuer: undefined,
    audience: undefined,
    clockToleranceS: 5,
    ...options.auth,
  };
  try {
    return await buildTestApp(app, auth, backend, schema);
  } catch (error) {
    await schema?.drop();
    throw error;
  }
}

async function buildTestApp(
  app: AppConfig,
  auth: AuthConfig,
  backend: TestBackend,
  schema: IsolatedSchema | undefined,
): Promise<TestApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(appConfig.KEY)
    .useValue(app)
    .overrideProvider(authConfig.KEY)
    .useValue(auth)
    .overrideProvider(databaseConfig.KEY)
    .useValue({ url: schema?.url, dataDir: 'memory://' })
    .compile();
  const nest = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(app), NEST_APP_OPTIONS);
  nest.useLogger(false);
  await setupApp(nest);
  await nest.init();
  await nest.getHttpAdapter().getInstance().ready();
  return {
    app: nest,
    backend,
    close: async () => {
      await nest.close();
      await schema?.drop();
    },
  };
}
