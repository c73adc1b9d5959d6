import type { Claim, IdempotencyStore, KeyRecord, StoredResponse } from './idempotency.store.js';
import { IdempotencyService, IN_FLIGHT_LEASE_S } from './idempotency.service.js';

interface FakeRow {
  claimId: string;
  fingerprint: string;
  state: 'in_flight' | 'completed';
  response: StoredResponse | null;
  expired: boolean;
}

/** The store's contract in memory: claims succeed only on free or expired keys. */
class FakeStore implements IdempotencyStore {
  readonly rows = new Map<string, FakeRow>();
  leases: number[] = [];
  ttls: number[] = [];
  /** Deletes the row after the next lost claim, as a concurrent release would. */
  vanishAfterLostClaim = 0;
  private next = 0;

  async claim(owner: string, key: string, fingerprint: string, leaseS: number): Promise<Claim | null> {
    this.leases.push(leaseS);
    const id = `${owner}\n${key}`;
    const row = this.rows.get(id);
    if (row && !row.expired) {
      if (this.vanishAfterLostClaim-- > 0) this.rows.delete(id);
      return null;
    }
    const claimId = `claim-${++this.next}`;
    this.rows.set(id, { claimId, fingerprint, state: 'in_flight', response: null, expired: false });
    return { owner, key, claimId };
  }

  async find(owner: string, key: string): Promise<KeyRecord | undefined> {
    const row = this.rows.get(`${owner}\n${key}`);
    return row && !row.expired ? { fingerprint: row.fingerprint, state: row.state, response: row.response } : undefined;
  }

  async complete(claim: Claim, response: StoredResponse, ttlS: number): Promise<void> {
    this.ttls.push(ttlS);
    const row = this.rows.get(`${claim.owner}\n${claim.key}`);
    if (row?.claimId === claim.claimId) Object.assign(row, { state: 'completed', response });
  }

  async release(claim: Claim): Promise<void> {
    const id = `${claim.owner}\n${claim.key}`;
    if (this.rows.get(id)?.claimId === claim.claimId) this.rows.delete(id);
  }

  async deleteExpired(): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.rows) if (row.expired && this.rows.delete(id)) deleted++;
    return deleted;
  }
}

const created: StoredResponse = { status: 201, headers: { location: '/api/data/1' }, body: Buffer.from('{"status":"success"}') };

describe('IdempotencyService', () => {
  let store: FakeStore;
  let replays: { inc: jest.Mock };
  let service: IdempotencyService;

  beforeEach(() => {
    store = new FakeStore();
    replays = { inc: jest.fn() };
    service = new IdempotencyService(store, { idempotencyTtlS: 3600 }, replays);
  });

  async function proceed(owner = 'alice', key = 'k', fingerprint = 'fp'): Promise<Claim> {
    const decision = await service.begin(owner, key, fingerprint);
    if (decision.kind !== 'proceed') throw new Error(`expected proceed, got ${decision.kind}`);
    return decision.claim;
  }

  it('lets the first request proceed with a claim leased for IN_FLIGHT_LEASE_S', async () => {
    await proceed();
    expect(store.leases).toEqual([IN_FLIGHT_LEASE_S]);
  });

  it('answers in_flight to the same request while the first runs', async () => {
    await proceed();
    expect(await service.begin('alice', 'k', 'fp')).toEqual({ kind: 'in_flight' });
  });

  it('answers mismatch to a different request with the key, in flight or completed', async () => {
    const claim = await proceed();
    expect(await service.begin('alice', 'k', 'other')).toEqual({ kind: 'mismatch' });
    await service.finish(claim, created);
    expect(await service.begin('alice', 'k', 'other')).toEqual({ kind: 'mismatch' });
    expect(replays.inc).not.toHaveBeenCalled();
  });

  it('stores a final response for the TTL and replays it, counting the replay', async () => {
    await service.finish(await proceed(), created);
    expect(store.ttls).toEqual([3600]);
    expect(await service.begin('alice', 'k', 'fp')).toEqual({ kind: 'replay', response: created });
    expect(replays.inc).toHaveBeenCalledTimes(1);
  });

  it('stores 4xx responses: the same request would fail the same way', async () => {
    const invalid = { ...created, status: 400 };
    await service.finish(await proceed(), invalid);
    expect(await service.begin('alice', 'k', 'fp')).toEqual({ kind: 'replay', response: invalid });
  });

  it.each([500, 503])('releases the key after a %i, so a retry runs again', async (status) => {
    await service.finish(await proceed(), { ...created, status });
    expect(store.rows.size).toBe(0);
    await proceed();
  });

  it('releases the key when the response could not be captured', async () => {
    await service.finish(await proceed(), null);
    await proceed();
  });

  it('scopes keys per owner', async () => {
    await service.finish(await proceed('alice'), created);
    await proceed('bob');
  });

  it('takes over an expired key (a finished TTL or an abandoned lease)', async () => {
    await proceed();
    store.rows.get('alice\nk')!.expired = true;
    await proceed('alice', 'k', 'new fingerprint');
  });

  it('claims again when the row it lost to vanished before it could be read', async () => {
    await proceed();
    store.vanishAfterLostClaim = 1;
    await proceed();
  });

  it('does not let a claim whose key was taken over complete or release it', async () => {
    const stale = await proceed();
    store.rows.get('alice\nk')!.expired = true;
    await proceed();
    await service.finish(stale, created);
    await service.finish(stale, { ...created, status: 500 });
    expect(await service.begin('alice', 'k', 'fp')).toEqual({ kind: 'in_flight' });
  });

  it('sweeps expired keys and survives a failing sweep', async () => {
    await proceed();
    store.rows.get('alice\nk')!.expired = true;
    expect(await service.sweep()).toBe(1);
    jest.spyOn(store, 'deleteExpired').mockRejectedValueOnce(new Error('down'));
    expect(await service.sweep()).toBe(0);
  });
});
