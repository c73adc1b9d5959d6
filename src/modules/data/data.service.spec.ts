import type { Caller } from '../../auth/index.js';
import type { CacheInvalidator } from '../../platform/cache/index.js';
import { Page } from '../../common/http/index.js';
import { AppError } from '../../core/errors/index.js';
import type { DataRepository, RecordContent } from './data.repository.js';
import { DataService } from './data.service.js';
import type { RecordRow } from './data.tables.js';
import type { RecordBodyDto } from './dto/record-body.dto.js';
import { decodeCursor, encodeCursor } from './record-cursor.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const alice: Caller = { sub: 'alice', scopes: new Set(['data:read', 'data:write']) };
const admin: Caller = { sub: 'root', scopes: new Set(['data:admin']) };

function rowOf(overrides: Partial<RecordRow> = {}): RecordRow {
  return {
    id: ID,
    seq: '10',
    owner: 'alice',
    key: 'k',
    nested: null,
    tags: [],
    attributes: {},
    version: 2,
    created_at: new Date('2024-01-01T00:00:00.000Z'),
    updated_at: new Date('2024-01-02T00:00:00.000Z'),
    ...overrides,
  };
}

function setup() {
  const repository = {
    insert: jest.fn<Promise<RecordRow>, [string, string, RecordContent]>(),
    find: jest.fn<Promise<RecordRow | undefined>, Parameters<DataRepository['find']>>(),
    list: jest.fn<Promise<RecordRow[]>, Parameters<DataRepository['list']>>(),
    replace: jest.fn<Promise<RecordRow | undefined>, Parameters<DataRepository['replace']>>(),
    delete: jest.fn<Promise<boolean>, Parameters<DataRepository['delete']>>(),
  };
  const cache = { invalidateOwner: jest.fn<Promise<void>, [string]>(async () => undefined) };
  return { repository, cache, service: new DataService(repository as unknown as DataRepository, cache as unknown as CacheInvalidator) };
}

async function appErrorFrom(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected an AppError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const body = (overrides: Partial<RecordBodyDto> = {}): RecordBodyDto => ({ key: 'k', ...overrides }) as RecordBodyDto;

describe('DataService', () => {
  describe('create', () => {
    it('stores the body under a fresh UUID, owned by the caller', async () => {
      const { service, repository } = setup();
      repository.insert.mockImplementation(async (id, owner) => rowOf({ id, owner, version: 1 }));
      const record = await service.create(alice, body({ key: 'test_value', nested: { field1: 123, field2: 'example' } }));

      const [id, owner, content] = repository.insert.mock.calls[0];
      expect(id).toMatch(UUID);
      expect(owner).toBe('alice');
      expect(content).toEqual({ key: 'test_value', nested: { field1: 123, field2: 'example' }, tags: [], attributes: {} });
      expect(record).toMatchObject({ id, owner: 'alice', version: 1 });
    });

    it('gives each record its own id', async () => {
      const { service, repository } = setup();
      repository.insert.mockImplementation(async (id) => rowOf({ id }));
      await service.create(alice, body());
      await service.create(alice, body());
      expect(repository.insert.mock.calls[0][0]).not.toBe(repository.insert.mock.calls[1][0]);
    });

    it('stores absent or null optional fields as their empty values', async () => {
      const { service, repository } = setup();
      repository.insert.mockResolvedValue(rowOf());
      await service.create(alice, body({ nested: null, tags: null, attributes: null }));
      expect(repository.insert.mock.calls[0][2]).toEqual({ key: 'k', nested: null, tags: [], attributes: {} });
    });

    it('copies only field1 and field2 of nested', async () => {
      const { service, repository } = setup();
      repository.insert.mockResolvedValue(rowOf());
      const nested = Object.assign({ field1: 1, field2: 'a' }, { sneaky: true });
      await service.create(alice, body({ nested, tags: ['t'], attributes: { a: 1 } }));
      expect(repository.insert.mock.calls[0][2]).toEqual({ key: 'k', nested: { field1: 1, field2: 'a' }, tags: ['t'], attributes: { a: 1 } });
    });

    it('records the caller as owner even for admins', async () => {
      const { service, repository } = setup();
      repository.insert.mockResolvedValue(rowOf({ owner: 'root' }));
      await service.create(admin, body());
      expect(repository.insert.mock.calls[0][1]).toBe('root');
    });
  });

  describe('get', () => {
    it("limits a user to the user's own records", async () => {
      const { service, repository } = setup();
      repository.find.mockResolvedValue(rowOf());
      await expect(service.get(alice, ID)).resolves.toMatchObject({ id: ID, key: 'k' });
      expect(repository.find).toHaveBeenCalledWith(ID, { owner: 'alice' });
    });

    it("lets an admin read every owner's records", async () => {
      const { service, repository } = setup();
      repository.find.mockResolvedValue(rowOf());
      await service.get(admin, ID);
      expect(repository.find).toHaveBeenCalledWith(ID, 'all');
    });

    it('answers a missing (or foreign) record with NOT_FOUND', async () => {
      const { service, repository } = setup();
      repository.find.mockResolvedValue(undefined);
      expect(await appErrorFrom(service.get(alice, ID))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    });
  });

  describe('list', () => {
    const rows = (count: number, firstSeq = 100) =>
      Array.from({ length: count }, (_, i) => rowOf({ id: `id-${i}`, seq: String(firstSeq - i) }));

    it('asks for the default page with the owner scope', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue([]);
      const page = await service.list(alice, {});
      expect(repository.list).toHaveBeenCalledWith({ owner: 'alice' }, { limit: 20, beforeSeq: undefined, key: undefined });
      expect(page).toBeInstanceOf(Page);
      expect(page.items).toEqual([]);
      expect(page.info).toEqual({ limit: 20, nextCursor: null });
    });

    it('lists every owner for an admin and passes the key filter', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue([]);
      await service.list(admin, { limit: 5, key: 'x' });
      expect(repository.list).toHaveBeenCalledWith('all', { limit: 5, beforeSeq: undefined, key: 'x' });
    });

    it('returns limit rows and a cursor after the last one when the repository finds limit+1', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue(rows(4));
      const page = await service.list(alice, { limit: 3 });
      expect(page.items.map((record) => record.id)).toEqual(['id-0', 'id-1', 'id-2']);
      expect(page.info.limit).toBe(3);
      expect(page.info.nextCursor).toBe(encodeCursor('98'));
      expect(decodeCursor(page.info.nextCursor!)).toBe('98');
    });

    it('returns no cursor on the last page', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue(rows(3));
      const page = await service.list(alice, { limit: 3 });
      expect(page.items).toHaveLength(3);
      expect(page.info.nextCursor).toBeNull();
    });

    it('maps rows to records', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue(rows(1));
      const page = await service.list(alice, {});
      expect(page.items[0]).toEqual(expect.objectContaining({ id: 'id-0', createdAt: '2024-01-01T00:00:00.000Z' }));
      expect(page.items[0]).not.toHaveProperty('seq');
    });

    it('continues before the sequence inside the cursor', async () => {
      const { service, repository } = setup();
      repository.list.mockResolvedValue([]);
      await service.list(alice, { limit: 2, cursor: encodeCursor('98') });
      expect(repository.list).toHaveBeenCalledWith({ owner: 'alice' }, { limit: 2, beforeSeq: '98', key: undefined });
    });

    it.each(['garbage', '', Buffer.from('r1:0').toString('base64url')])(
      'answers the invalid cursor %p with VALIDATION_FAILED without querying',
      async (cursor) => {
        const { service, repository } = setup();
        const error = await appErrorFrom(service.list(alice, { cursor }));
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
        expect(error.details).toEqual([{ field: 'cursor', messages: [expect.any(String)] }]);
        expect(repository.list).not.toHaveBeenCalled();
      },
    );
  });

  describe('replace', () => {
    const newBody = body({ key: 'new', tags: ['t'] });
    const newContent: RecordContent = { key: 'new', nested: null, tags: ['t'], attributes: {} };

    describe('without If-Match', () => {
      it('replaces unconditionally within the owner scope', async () => {
        const { service, repository } = setup();
        repository.replace.mockResolvedValue(rowOf({ key: 'new', version: 3 }));
        await expect(service.replace(alice, ID, newBody)).resolves.toMatchObject({ key: 'new', version: 3 });
        expect(repository.replace).toHaveBeenCalledTimes(1);
        const [id, scope, content, expectedVersion] = repository.replace.mock.calls[0];
        expect([id, scope, content, expectedVersion]).toEqual([ID, { owner: 'alice' }, newContent, undefined]);
        expect(repository.find).not.toHaveBeenCalled();
      });

      it('uses the admin scope for admins', async () => {
        const { service, repository } = setup();
        repository.replace.mockResolvedValue(rowOf());
        await service.replace(admin, ID, newBody);
        expect(repository.replace.mock.calls[0][1]).toBe('all');
      });

      it('answers a missing record with NOT_FOUND', async () => {
        const { service, repository } = setup();
        repository.replace.mockResolvedValue(undefined);
        expect((await appErrorFrom(service.replace(alice, ID, newBody))).code).toBe('NOT_FOUND');
      });
    });

    describe('with If-Match', () => {
      it('replaces on a matching tag, conditional on the checked version', async () => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(rowOf({ version: 2 }));
        repository.replace.mockResolvedValue(rowOf({ key: 'new', version: 3 }));
        await expect(service.replace(alice, ID, newBody, '"2"')).resolves.toMatchObject({ version: 3 });
        expect(repository.find).toHaveBeenCalledWith(ID, { owner: 'alice' });
        expect(repository.replace).toHaveBeenCalledWith(ID, { owner: 'alice' }, newContent, 2);
      });

      it.each(['*', '"1", "2"'])('accepts %p', async (ifMatch) => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(rowOf({ version: 2 }));
        repository.replace.mockResolvedValue(rowOf({ version: 3 }));
        await service.replace(alice, ID, newBody, ifMatch);
        expect(repository.replace.mock.calls[0][3]).toBe(2);
      });

      it.each(['"1"', 'W/"2"', '"3"'])('answers the stale tag %p with PRECONDITION_FAILED without writing', async (ifMatch) => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(rowOf({ version: 2 }));
        const error = await appErrorFrom(service.replace(alice, ID, newBody, ifMatch));
        expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
        expect(error.message).toContain('"2"');
        expect(repository.replace).not.toHaveBeenCalled();
      });

      it('answers a missing record with NOT_FOUND, not PRECONDITION_FAILED', async () => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(undefined);
        expect((await appErrorFrom(service.replace(alice, ID, newBody, '"1"'))).code).toBe('NOT_FOUND');
        expect(repository.replace).not.toHaveBeenCalled();
      });

      it('answers a change between check and update with PRECONDITION_FAILED', async () => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(rowOf({ version: 2 }));
        repository.replace.mockResolvedValue(undefined);
        const error = await appErrorFrom(service.replace(alice, ID, newBody, '"2"'));
        expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
        expect(repository.replace).toHaveBeenCalledWith(ID, { owner: 'alice' }, newContent, 2);
      });

      it('checks admins against every owner', async () => {
        const { service, repository } = setup();
        repository.find.mockResolvedValue(rowOf({ owner: 'bob', version: 1 }));
        repository.replace.mockResolvedValue(rowOf({ owner: 'bob', version: 2 }));
        await service.replace(admin, ID, newBody, '"1"');
        expect(repository.find).toHaveBeenCalledWith(ID, 'all');
        expect(repository.replace).toHaveBeenCalledWith(ID, 'all', newContent, 1);
      });
    });
  });

  describe('remove', () => {
    it('deletes within the owner scope, then invalidates the owner\'s cached reads', async () => {
      const { service, repository, cache } = setup();
      repository.delete.mockResolvedValue(true);
      await expect(service.remove(alice, ID)).resolves.toBeUndefined();
      expect(repository.delete).toHaveBeenCalledWith(ID, { owner: 'alice' });
      expect(cache.invalidateOwner).toHaveBeenCalledWith('alice');
    });

    it('deletes any owner\'s record for an admin and invalidates that owner\'s cached reads', async () => {
      const { service, repository, cache } = setup();
      repository.find.mockResolvedValue(rowOf({ owner: 'bob' }));
      repository.delete.mockResolvedValue(true);
      await service.remove(admin, ID);
      expect(repository.delete).toHaveBeenCalledWith(ID, 'all');
      expect(cache.invalidateOwner).toHaveBeenCalledWith('bob');
    });

    it('invalidates the owner\'s cached reads after create and replace, before returning', async () => {
      const { service, repository, cache } = setup();
      repository.insert.mockImplementation(async (id, owner) => rowOf({ id, owner, version: 1 }));
      repository.replace.mockResolvedValue(rowOf({ owner: 'bob', version: 3 }));
      await service.create(alice, body());
      expect(cache.invalidateOwner).toHaveBeenLastCalledWith('alice');
      await service.replace(admin, ID, body());
      expect(cache.invalidateOwner).toHaveBeenLastCalledWith('bob');
      expect(cache.invalidateOwner).toHaveBeenCalledTimes(2);
    });

    it('answers a missing record with NOT_FOUND', async () => {
      const { service, repository } = setup();
      repository.delete.mockResolvedValue(false);
      expect(await appErrorFrom(service.remove(alice, ID))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    });
  });
});
