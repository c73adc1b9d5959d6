import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer } from '../../helpers/tokens.js';
import { useAppSuite } from '../../setup/app-suite.js';
import { cacheStores, cacheStoreUrl } from '../../setup/backends.js';
import { uniqueSub } from '../data/data-api.helper.js';
import { type Note, NOTES_TTL_S, NotesModule, NotesService } from './fixtures/notes.module.js';

interface NoteRead {
  status: number;
  xCache: unknown;
  note: Note;
}

/** GET /test/notes as `sub`: what a team module's cached handler answered, and from where. */
async function readNote(app: NestFastifyApplication, sub: string): Promise<NoteRead> {
  const res = await app.inject({ method: 'GET', url: '/test/notes', headers: bearer({ sub, scope: 'data:read' }) });
  return { status: res.statusCode, xCache: res.headers['x-cache'], note: res.json().data as Note };
}

describe.each(cacheStores())('@Cached({ ttl }) and CacheInvalidator in a team module (%s store)', (store) => {
  const suite = useAppSuite(
    'pglite',
    {
      imports: [NotesModule],
      // A long default TTL, so only the handler's own ttl can expire an entry; a long timeout,
      // so a slow cache call on a loaded machine cannot turn a HIT into a MISS.
      sharedState: { redisUrl: cacheStoreUrl(store), cacheTtlS: 3_600, cacheTimeoutMs: 5_000 },
    },
    (app) => ({ read: (sub: string) => readNote(app, sub), notes: app.get(NotesService) }),
  );
  let alice: string;
  let bob: string;

  // Fresh callers that never wrote: their entries share every generation, so only the key
  // itself keeps one caller's entry from the other.
  beforeEach(() => {
    alice = uniqueSub('alice');
    bob = uniqueSub('bob');
  });

  it('answers MISS, then HIT with the same body without running the handler', async () => {
    const first = await suite.api.read(alice);
    expect([first.status, first.xCache, first.note.owner]).toEqual([200, 'MISS', alice]);
    const second = await suite.api.read(alice);
    expect([second.status, second.xCache]).toEqual([200, 'HIT']);
    expect(second.note).toEqual(first.note);
  });

  it("keeps entries per caller: bob never receives alice's cached body for the same URL", async () => {
    await suite.api.read(alice);
    expect((await suite.api.read(alice)).xCache).toBe('HIT');
    const bobFirst = await suite.api.read(bob);
    expect([bobFirst.status, bobFirst.xCache, bobFirst.note.owner]).toEqual([200, 'MISS', bob]);
    const bobAgain = await suite.api.read(bob);
    expect([bobAgain.xCache, bobAgain.note]).toEqual(['HIT', bobFirst.note]);
  });

  it('expires an entry after the handler\'s ttl, not CACHE_TTL_S', async () => {
    const first = await suite.api.read(alice);
    expect((await suite.api.read(alice)).xCache).toBe('HIT');
    // The entry was stored before `first` was answered: by now its ttl has surely run out.
    await sleep(NOTES_TTL_S * 1000 + 500);
    const later = await suite.api.read(alice);
    expect([later.xCache, later.note.owner]).toEqual(['MISS', alice]);
    expect(later.note.served).toBeGreaterThan(first.note.served);
  });

  it("invalidateOwner from the service: the owner's next read is a MISS with the new body, others keep theirs", async () => {
    await suite.api.notes.write(alice, 'alice-v1');
    await suite.api.read(alice);
    const bobCached = await suite.api.read(bob);
    expect((await suite.api.read(alice)).xCache).toBe('HIT');

    await suite.api.notes.write(alice, 'alice-v2');
    const after = await suite.api.read(alice);
    expect([after.xCache, after.note.text]).toEqual(['MISS', 'alice-v2']);
    expect((await suite.api.read(alice)).xCache).toBe('HIT');
    expect(await suite.api.read(bob)).toEqual({ ...bobCached, xCache: 'HIT' });
  });

  it("invalidateAll from the service: every caller's next read is a MISS", async () => {
    await suite.api.notes.write(alice, 'alice-v1');
    await suite.api.notes.write(bob, 'bob-v1');
    await suite.api.read(alice);
    await suite.api.read(bob);
    expect((await suite.api.read(alice)).xCache).toBe('HIT');
    expect((await suite.api.read(bob)).xCache).toBe('HIT');

    await suite.api.notes.clear();
    for (const sub of [alice, bob]) {
      const read = await suite.api.read(sub);
      expect([read.xCache, read.note.text]).toEqual(['MISS', '']);
    }
  });
});
