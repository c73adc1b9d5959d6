import type { Caller } from '../../auth/index.js';
import { AppError } from '../../core/errors/index.js';
import type { CacheInvalidator } from '../../platform/cache/index.js';
import type { DataRepository, ExportFilter, OwnerScope } from './data.repository.js';
import { DataService, EXPORT_BATCH_SIZE } from './data.service.js';
import type { RecordRow } from './data.tables.js';

const alice: Caller = { sub: 'alice', scopes: new Set(['data:read']) };
const admin: Caller = { sub: 'root', scopes: new Set(['data:admin']) };

function rowAt(seq: number): RecordRow {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq: String(seq),
    owner: 'alice',
    key: 'k',
    nested: null,
    tags: [],
    attributes: {},
    version: 1,
    created_at: new Date('2026-01-01T00:00:00.000Z'),
    updated_at: new Date('2026-01-02T00:00:00.000Z'),
  };
}

/** A repository over `total` rows with seq 1..total, answering batches as the database would. */
function setup(total: number) {
  const exportBatch = jest.fn(async (_scope: OwnerScope, filter: ExportFilter) => {
    const from = filter.afterSeq === undefined ? 1 : Number(filter.afterSeq) + 1;
    const to = Math.min(total, from + filter.limit - 1);
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => rowAt(from + i));
  });
  const repository = { exportBatch } as unknown as DataRepository;
  return { exportBatch, service: new DataService(repository, {} as CacheInvalidator) };
}

async function collect(batches: AsyncIterable<Array<{ id: string }>>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const batch of batches) sizes.push(batch.length);
  return sizes;
}

describe('DataService.exportBatches', () => {
  it('reads keyset batches after the last sequence read, and stops after a short one', async () => {
    const { service, exportBatch } = setup(2 * EXPORT_BATCH_SIZE + 3);
    expect(await collect(service.exportBatches(alice, {}))).toEqual([EXPORT_BATCH_SIZE, EXPORT_BATCH_SIZE, 3]);
    expect(exportBatch.mock.calls.map(([, filter]) => filter.afterSeq)).toEqual([undefined, String(EXPORT_BATCH_SIZE), String(2 * EXPORT_BATCH_SIZE)]);
  });

  it('ends with one empty query when the last batch was full, yielding no empty batch', async () => {
    const { service, exportBatch } = setup(EXPORT_BATCH_SIZE);
    expect(await collect(service.exportBatches(alice, {}))).toEqual([EXPORT_BATCH_SIZE]);
    expect(exportBatch).toHaveBeenCalledTimes(2);
  });

  it("scopes to the caller, or to every owner for admins, and passes the filters", async () => {
    const { service, exportBatch } = setup(1);
    await collect(service.exportBatches(alice, { key: 'x', since: '2026-11-25T10:47:06+02:00' }));
    await collect(service.exportBatches(admin, {}));
    expect(exportBatch.mock.calls[0]).toEqual([
      { owner: 'alice' },
      { limit: EXPORT_BATCH_SIZE, afterSeq: undefined, key: 'x', updatedSince: '2026-11-25T08:47:06.000Z' },
    ]);
    expect(exportBatch.mock.calls[1][0]).toBe('all');
  });

  it('reads nothing more once the consumer stops', async () => {
    const { service, exportBatch } = setup(10 * EXPORT_BATCH_SIZE);
    const batches = service.exportBatches(alice, {});
    await batches.next();
    await batches.return(undefined);
    expect(await batches.next()).toEqual({ done: true, value: undefined });
    expect(exportBatch).toHaveBeenCalledTimes(1);
  });

  it('refuses a since it cannot read, before any query', async () => {
    const { service, exportBatch } = setup(1);
    const error = await service.exportBatches(alice, { since: 'yesterday' }).next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect(exportBatch).not.toHaveBeenCalled();
  });
});
