import type { CallHandler } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { lastValueFrom, of } from 'rxjs';
import { Idempotent } from './idempotent.decorator.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import type { Decision, IdempotencyService } from './idempotency.service.js';
import type { Claim, StoredResponse } from './idempotency.store.js';
import { rejection, thrownBy } from '../../../test/helpers/app-error.js';

/** The service's decisions in miniature: one row per owner and key, first request wins. */
class FakeIdempotency {
  readonly begin = jest.fn(async (owner: string, key: string, fingerprint: string): Promise<Decision> => {
    const id = `${owner}\n${key}`;
    const row = this.rows.get(id);
    if (!row) {
      const claim = { owner, key, claimId: `claim-${this.rows.size + 1}` };
      this.rows.set(id, { fingerprint, claim });
      return { kind: 'proceed', claim };
    }
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return row.response ? { kind: 'replay', response: row.response } : { kind: 'in_flight' };
  });

  private readonly rows = new Map<string, { fingerprint: string; claim: Claim; response?: StoredResponse }>();

  /** What the response hooks do once the claimed request has answered. */
  complete(claim: Claim, response: StoredResponse): void {
    this.rows.get(`${claim.owner}\n${claim.key}`)!.response = response;
  }
}

interface FakeRequest {
  method: string;
  url: string;
  body: unknown;
  user?: { sub: string; scopes: Set<string> };
  raw: { headers: Record<string, string>; rawHeaders: string[] };
  idempotency?: unknown;
}

interface RequestOptions {
  key?: string | string[];
  sub?: string | null;
  method?: string;
  url?: string;
  body?: unknown;
}

function requestWith({ key, sub = 'alice', method = 'POST', url = '/api/data', body = { name: 'a' } }: RequestOptions = {}): FakeRequest {
  const keys = key === undefined ? [] : [key].flat();
  const raw = {
    headers: keys.length > 0 ? { 'idempotency-key': keys.join(', ') } : ({} as Record<string, string>),
    rawHeaders: keys.flatMap((value) => ['Idempotency-Key', value]),
  };
  return { method, url, body, raw, ...(sub === null ? {} : { user: { sub, scopes: new Set<string>() } }) };
}

const created: StoredResponse = { status: 201, headers: { location: '/api/data/1' }, body: Buffer.from('{"status":"success"}') };

function setup() {
  const service = new FakeIdempotency();
  const interceptor = new IdempotencyInterceptor(service as unknown as IdempotencyService);
  return { service, interceptor };
}

/** The interceptor around a handler answering `{ id: 1 }`; `handle` tells whether the handler ran. */
function run(interceptor: IdempotencyInterceptor, request: FakeRequest, type = 'http') {
  const handle = jest.fn(() => of({ id: 1 }));
  const next: CallHandler = { handle };
  const context = new ExecutionContextHost([request, {}]);
  context.setType(type);
  return { result: () => lastValueFrom(interceptor.intercept(context, next)), handle };
}

describe('IdempotencyInterceptor', () => {
  it('is bound only to handlers marked @Idempotent()', () => {
    class Controller {
      @Idempotent()
      create() {}
      update() {}
    }
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Controller.prototype.create)).toEqual([IdempotencyInterceptor]);
    expect(Reflect.getMetadata(INTERCEPTORS_METADATA, Controller.prototype.update)).toBeUndefined();
  });

  it('runs the handler untouched when the request has no Idempotency-Key', async () => {
    const { interceptor, service } = setup();
    const request = requestWith();
    const { result, handle } = run(interceptor, request);
    expect(await result()).toEqual({ id: 1 });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(service.begin).not.toHaveBeenCalled();
    expect(request.idempotency).toBeUndefined();
  });

  it('ignores the key without a verified caller (no owner to scope it to)', async () => {
    const { interceptor, service } = setup();
    const { result, handle } = run(interceptor, requestWith({ key: 'k', sub: null }));
    expect(await result()).toEqual({ id: 1 });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(service.begin).not.toHaveBeenCalled();
  });

  it('leaves non-HTTP contexts alone', async () => {
    const { interceptor, service } = setup();
    const { result } = run(interceptor, requestWith({ key: 'k' }), 'rpc');
    expect(await result()).toEqual({ id: 1 });
    expect(service.begin).not.toHaveBeenCalled();
  });

  it.each([
    ['a non-ASCII key', 'clé'],
    ['an empty key', ''],
    ['the header sent twice', ['a', 'b']],
  ])('refuses %s with VALIDATION_FAILED (400) before claiming anything', (_name, key) => {
    const { interceptor, service } = setup();
    const { result, handle } = run(interceptor, requestWith({ key }));
    // Thrown by intercept() itself, before any observable exists.
    expect(thrownBy(result)).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(handle).not.toHaveBeenCalled();
    expect(service.begin).not.toHaveBeenCalled();
  });

  it("claims the caller's key and runs the handler, leaving the claim for the response hooks", async () => {
    const { interceptor, service } = setup();
    const request = requestWith({ key: 'k' });
    const { result, handle } = run(interceptor, request);
    expect(await result()).toEqual({ id: 1 });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(service.begin).toHaveBeenCalledWith('alice', 'k', expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(request.idempotency).toEqual({ kind: 'claimed', claim: { owner: 'alice', key: 'k', claimId: 'claim-1' } });
  });

  it('answers a retry while the first request runs with CONFLICT (409) and Retry-After, without the handler', async () => {
    const { interceptor } = setup();
    await run(interceptor, requestWith({ key: 'k' })).result();
    const retry = run(interceptor, requestWith({ key: 'k' }));
    const error = await rejection(retry.result());
    expect(error.code).toBe('CONFLICT');
    expect(error.status).toBe(409);
    expect(error.headers).toEqual({ 'Retry-After': '1' });
    expect(retry.handle).not.toHaveBeenCalled();
  });

  it('hands a retry after completion the stored response to replay, without the handler', async () => {
    const { interceptor, service } = setup();
    const first = requestWith({ key: 'k' });
    await run(interceptor, first).result();
    service.complete((first.idempotency as { claim: Claim }).claim, created);
    const request = requestWith({ key: 'k' });
    const retry = run(interceptor, request);
    // The body is a placeholder: the response hooks send the stored bytes with Idempotent-Replayed.
    expect(await retry.result()).toBeNull();
    expect(retry.handle).not.toHaveBeenCalled();
    expect(request.idempotency).toEqual({ kind: 'replay', response: created });
  });

  it.each([
    ['body', { body: { name: 'b' } }],
    ['target', { url: '/api/data?dryRun=true' }],
    ['method', { method: 'PUT' }],
  ] as Array<[string, RequestOptions]>)(
    'refuses the key sent again with a different %s with UNPROCESSABLE (422), without the handler',
    async (_name, change) => {
      const { interceptor, service } = setup();
      const first = requestWith({ key: 'k' });
      await run(interceptor, first).result();
      service.complete((first.idempotency as { claim: Claim }).claim, created);
      const other = run(interceptor, requestWith({ key: 'k', ...change }));
      const error = await rejection(other.result());
      expect(error.code).toBe('UNPROCESSABLE');
      expect(error.status).toBe(422);
      expect(other.handle).not.toHaveBeenCalled();
    },
  );

  it('scopes keys per owner: the same key from another caller is a new request', async () => {
    const { interceptor, service } = setup();
    await run(interceptor, requestWith({ key: 'k' })).result();
    const bob = run(interceptor, requestWith({ key: 'k', sub: 'bob' }));
    expect(await bob.result()).toEqual({ id: 1 });
    expect(bob.handle).toHaveBeenCalledTimes(1);
    expect(service.begin).toHaveBeenLastCalledWith('bob', 'k', expect.any(String));
  });
});
