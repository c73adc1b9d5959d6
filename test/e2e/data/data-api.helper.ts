import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer } from '../../helpers/tokens.js';
import type { TestBackend } from '../../setup/backends.js';
import { type AppSuite, useAppSuite } from '../../setup/app-suite.js';
import type { TestAppOptions } from '../../setup/create-test-app.js';
import type { DataRecord } from '../../../src/modules/data/data.record.js';
import type { ErrorCode } from '../../../src/core/errors/index.js';

export type Response = LightMyRequestResponse;

export const READ_WRITE = 'data:read data:write';
export const JSON_TYPE = 'application/json';
export const JSON_RESPONSE_TYPE = 'application/json; charset=utf-8';
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A subject no other test uses, so tests sharing one app never see each other's records. */
export function uniqueSub(label = 'user'): string {
  return `${label}-${randomUUID()}`;
}

export interface Caller {
  sub: string;
  scope?: string;
}

function authHeaders(caller: Caller): Record<string, string> {
  return bearer({ sub: caller.sub, scope: caller.scope ?? READ_WRITE });
}

/** Requests to /api/data for the e2e suites, each made as one caller (token `sub` and scope). */
export class DataApi {
  constructor(private readonly app: NestFastifyApplication) {}

  /** POST a value serialized as JSON. */
  post(caller: Caller, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.postRaw(caller, JSON.stringify(body), { 'content-type': JSON_TYPE, ...headers });
  }

  /** POST bytes exactly as given: no serialization and no content-type unless `headers` sets one. */
  postRaw(caller: Caller, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.inject({ method: 'POST', url: '/api/data', headers: { ...authHeaders(caller), ...headers }, payload });
  }

  put(caller: Caller, id: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.putRaw(caller, id, JSON.stringify(body), { 'content-type': JSON_TYPE, ...headers });
  }

  putRaw(caller: Caller, id: string, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.inject({ method: 'PUT', url: `/api/data/${id}`, headers: { ...authHeaders(caller), ...headers }, payload });
  }

  get(caller: Caller, id: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.inject({ method: 'GET', url: `/api/data/${id}`, headers: { ...authHeaders(caller), ...headers } });
  }

  delete(caller: Caller, id: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.app.inject({ method: 'DELETE', url: `/api/data/${id}`, headers: { ...authHeaders(caller), ...headers } });
  }

  /** GET /api/data with a raw query string (`limit=2&cursor=...`), sent as written. */
  list(caller: Caller, query = '', headers: Record<string, string> = {}): Promise<Response> {
    const url = query ? `/api/data?${query}` : '/api/data';
    return this.app.inject({ method: 'GET', url, headers: { ...authHeaders(caller), ...headers } });
  }

  /** Creates a record and returns it, failing the test unless the API answered 201. */
  async create(caller: Caller, body: unknown): Promise<DataRecord> {
    const res = await this.post(caller, body);
    expectSuccess(res, 201);
    return res.json().data as DataRecord;
  }

  /** Every record the caller can list, newest first, walking all pages. */
  async listAll(caller: Caller, query = ''): Promise<DataRecord[]> {
    const records: DataRecord[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams(query);
      params.set('limit', '100');
      if (cursor) params.set('cursor', cursor);
      const res = await this.list(caller, params.toString());
      expectSuccess(res, 200);
      records.push(...(res.json().data as DataRecord[]));
      cursor = res.json().page.nextCursor as string | null;
    } while (cursor);
    return records;
  }

  /** How many records the caller can list: bad input must leave this unchanged. */
  async count(caller: Caller): Promise<number> {
    return (await this.listAll(caller)).length;
  }

  /** The stored record as its owner reads it, failing the test unless it exists. */
  async read(caller: Caller, id: string): Promise<DataRecord> {
    const res = await this.get(caller, id);
    expectSuccess(res, 200);
    return res.json().data as DataRecord;
  }
}

export type DataSuite = AppSuite<DataApi>;

/** The app and a DataApi for the enclosing `describe` (see useAppSuite). */
export function useDataSuite(backend: TestBackend, options: Omit<TestAppOptions, 'backend'> = {}): DataSuite {
  return useAppSuite(backend, options, (app) => new DataApi(app));
}

/** A success envelope with this status; the body is parsed so a mismatch shows what came back. */
export function expectSuccess(res: Response, status: number): void {
  expect({ status: res.statusCode, body: res.body ? res.json() : res.body }).toMatchObject({
    status,
    body: { status: 'success' },
  });
}

/** An error envelope with this status and catalogue code. */
export function expectError(res: Response, status: number, code: ErrorCode): void {
  expect({ status: res.statusCode, body: res.json() }).toMatchObject({
    status,
    body: { status: 'error', error: { code } },
  });
}

/** The `details` entry for one field path, or undefined. */
export function detailFor(res: Response, field: string): { field: string; messages: string[] } | undefined {
  const details = (res.json().error.details ?? []) as Array<{ field: string; messages: string[] }>;
  return details.find((detail) => detail.field === field);
}

/** A 400 VALIDATION_FAILED whose details name `field` with at least one message. */
export function expectFieldError(res: Response, field: string): void {
  expectError(res, 400, 'VALIDATION_FAILED');
  expect(res.json().error.details).toEqual(
    expect.arrayContaining([{ field, messages: expect.arrayContaining([expect.any(String)]) }]),
  );
}
