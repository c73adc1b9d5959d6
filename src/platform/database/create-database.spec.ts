import { databaseBackend, IN_MEMORY_DATA_DIR } from './create-database.js';

describe('databaseBackend', () => {
  it('is PostgreSQL when a URL is configured', () => {
    expect(databaseBackend({ url: 'postgres://db.example/app' })).toBe('postgres');
  });

  it('is the embedded PGlite without a URL', () => {
    expect(databaseBackend({ url: undefined })).toBe('pglite');
    expect(databaseBackend({ url: undefined })).toBe('pglite');
  });

  it('names the in-memory data dir the way PGlite does', () => {
    expect(IN_MEMORY_DATA_DIR).toBe('memory://');
  });
});
