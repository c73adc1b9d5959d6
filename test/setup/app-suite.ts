import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestBackend } from './backends.js';
import { createTestApp, type TestApp, type TestAppOptions } from './create-test-app.js';

export interface AppSuite<Api> {
  readonly app: NestFastifyApplication;
  readonly api: Api;
  readonly testApp: TestApp;
}

/**
 * One app per backend for the enclosing `describe` (booting PGlite costs seconds), with a
 * module's request helper around it: call it at the top of a `describe.each(testBackends())`
 * body and read `app`/`api` inside tests.
 */
export function useAppSuite<Api>(
  backend: TestBackend,
  options: Omit<TestAppOptions, 'backend'>,
  apiFor: (app: NestFastifyApplication) => Api,
): AppSuite<Api> {
  let testApp: TestApp | undefined;
  let api: Api | undefined;
  beforeAll(async () => {
    testApp = await createTestApp({ ...options, backend });
    api = apiFor(testApp.app);
  });
  afterAll(() => testApp?.close());
  return {
    get app() {
      return testApp!.app;
    },
    get api() {
      return api!;
    },
    get testApp() {
      return testApp!;
    },
  };
}
