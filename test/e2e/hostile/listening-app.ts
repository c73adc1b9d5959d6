import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../setup/create-test-app.js';

export interface ListeningApp {
  t: TestApp;
  port: number;
}

/** A test app on a loopback port, for requests only a raw socket can send. */
export async function listeningApp(options: TestAppOptions = {}): Promise<ListeningApp> {
  const t = await createTestApp(options);
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await t.close();
    throw error;
  }
  return { t, port: (t.app.getHttpServer().address() as AddressInfo).port };
}

/** A record key no other request uses, so a later lookup proves whether this request stored anything. */
export const probeKey = (label: string) => `${label}-${randomUUID()}`;

/** How many records carry `key`, over every owner (a data:admin token sees them all). */
export async function storedWithKey(t: TestApp, key: string): Promise<number> {
  const headers = bearer({ sub: 'hostile-auditor', scope: 'data:admin' });
  const res = await t.app.inject({ method: 'GET', url: `/api/data?key=${encodeURIComponent(key)}`, headers });
  expect(res.statusCode).toBe(200);
  return (res.json().data as unknown[]).length;
}
