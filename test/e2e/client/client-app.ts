import type { AddressInfo } from 'node:net';
import { DataApiClient, type DataApiClientOptions } from '../../../src/client/index.js';
import { token, type TokenOptions } from '../../helpers/tokens.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../setup/create-test-app.js';

/** The real app listening on a loopback port, and clients pointed at it. */
export interface ClientSuite {
  t: TestApp;
  port: number;
  baseUrl: string;
  /** A client for the app (closed after the suite), by default with a read-write token of `sub`. */
  client(options?: Partial<DataApiClientOptions> & { as?: TokenOptions }): DataApiClient;
}

/** Fast retries for tests: what is asserted is how often and whether, not the production waits. */
export const QUICK_RETRIES = { backoff: { baseMs: 20, capMs: 100 } } as const;

/** Starts the app before the suite's tests and stops it (and every client made) after them. */
export function useClientSuite(options: TestAppOptions = {}): ClientSuite {
  const clients: DataApiClient[] = [];
  const suite = {} as ClientSuite;
  beforeAll(async () => {
    suite.t = await createTestApp(options);
    await suite.t.app.listen({ port: 0, host: '127.0.0.1' });
    suite.port = (suite.t.app.getHttpServer().address() as AddressInfo).port;
    suite.baseUrl = `http://127.0.0.1:${suite.port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await suite.t?.close();
  });
  suite.client = ({ as, ...options } = {}) => {
    const client = new DataApiClient({ baseUrl: suite.baseUrl, token: token(as), ...QUICK_RETRIES, ...options });
    clients.push(client);
    return client;
  };
  return suite;
}

/** A subject no other test uses, so each test sees only its own records. */
export const uniqueSub = (label = 'client'): string => `${label}-${Math.random().toString(36).slice(2, 10)}`;
