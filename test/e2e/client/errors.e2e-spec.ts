import { randomUUID } from 'node:crypto';
import {
  ApiError,
  ConflictError,
  ForbiddenError,
  HeadersTooLargeError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from '../../../src/client/index.js';
import { requestFingerprint } from '../../../src/platform/idempotency/request-fingerprint.js';
import { token } from '../../helpers/tokens.js';
import { insertInFlight } from '../idempotency/idempotency.helper.js';
import { uniqueSub, useClientSuite } from './client-app.js';

const RATE_LIMIT = 6;

/** The error a call rejects with (fails the test if it resolves). */
async function errorOf(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

// Each test uses its own caller: the app allows RATE_LIMIT requests per caller and window.
describe('DataApiClient typed errors from the listening app', () => {
  const suite = useClientSuite({ bodyLimit: 4096, sharedState: { rateLimitMax: RATE_LIMIT, rateLimitTtlS: 60 } });
  const missing = '00000000-0000-4000-8000-000000000000';

  it('VALIDATION_FAILED → ValidationError with details, sent once', async () => {
    let calls = 0;
    const client = suite.client({ token: () => (calls++, token({ sub: uniqueSub() })) });
    const error = await errorOf(client.createRecord({ key: '' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', attempts: 1, details: [expect.objectContaining({ field: 'key' })] });
    expect(error.requestId).toEqual(expect.any(String));
    expect(calls).toBe(1);
  });

  it('UNAUTHORIZED → UnauthorizedError', async () => {
    const error = await errorOf(suite.client({ token: 'not-a-jwt' }).getRecord(missing));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('FORBIDDEN → ForbiddenError', async () => {
    const reader = suite.client({ as: { sub: uniqueSub(), scope: 'data:read' } });
    expect(await errorOf(reader.createRecord({ key: 'nope' }))).toBeInstanceOf(ForbiddenError);
  });

  it('NOT_FOUND → NotFoundError, for a record and for a malformed id', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    expect(await errorOf(client.getRecord(missing))).toBeInstanceOf(NotFoundError);
    expect(await errorOf(client.deleteRecord('../../etc/passwd'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('PRECONDITION_FAILED → PreconditionFailedError for a stale If-Match', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const record = await client.createRecord({ key: 'etag' });
    await client.updateRecord(record.id, { key: 'moved-on' });
    const error = await errorOf(client.updateRecord(record.id, { key: 'stale' }, { ifMatch: record.version }));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error.code).toBe('PRECONDITION_FAILED');
  });

  it('PAYLOAD_TOO_LARGE → PayloadTooLargeError', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const error = await errorOf(client.createRecord({ key: 'big', attributes: { blob: 'x'.repeat(8192) } }));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error.status).toBe(413);
  });

  it('UNPROCESSABLE → UnprocessableError when the caller reuses a key for another body', async () => {
    const client = suite.client({ as: { sub: uniqueSub() } });
    const idempotencyKey = randomUUID();
    await client.createRecord({ key: 'first' }, { idempotencyKey });
    expect(await errorOf(client.createRecord({ key: 'second' }, { idempotencyKey }))).toBeInstanceOf(UnprocessableError);
  });

  it('CONFLICT → ConflictError when the caller’s key is in flight elsewhere (not retried on a first attempt)', async () => {
    const sub = uniqueSub();
    const body = { key: 'in-flight' };
    const idempotencyKey = randomUUID();
    await insertInFlight(suite.t.app, sub, idempotencyKey, requestFingerprint({ method: 'POST', url: '/api/data', owner: sub, body }));
    const error = await errorOf(suite.client({ as: { sub } }).createRecord(body, { idempotencyKey }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, attempts: 1, retryAfterMs: 1000 });
  });

  it('RATE_LIMITED → RateLimitedError with Retry-After once the retries are spent', async () => {
    const client = suite.client({ as: { sub: uniqueSub() }, retries: 0 });
    for (let i = 0; i < RATE_LIMIT; i++) await expect(client.getRecord(missing)).rejects.toBeInstanceOf(NotFoundError);
    const error = await errorOf(client.getRecord(missing));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', attempts: 1 });
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('HEADERS_TOO_LARGE → HeadersTooLargeError', async () => {
    const error = await errorOf(suite.client({ token: 'x'.repeat(20_000), retries: 0 }).getRecord(missing));
    expect(error).toBeInstanceOf(HeadersTooLargeError);
    expect(error.status).toBe(431);
  });
});
