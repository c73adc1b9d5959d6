import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseConfig } from './database.config.js';
import { ConfigError } from './env.reader.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return databaseConfig();
}

describe('databaseConfig', () => {
  let root: string;
  let file: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'data-api-db-config-'));
    file = join(root, 'afile');
    writeFileSync(file, 'x');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it('defaults to the embedded database under ./data', () => {
    expect(load({})).toMatchObject({ url: undefined, dataDir: './data' });
  });

  it('reads DATABASE_URL and DATA_DIR', () => {
    expect(load({ DATABASE_URL: 'postgres://db.test/app', DATA_DIR: root })).toMatchObject({ url: 'postgres://db.test/app', dataDir: root });
  });

  it.each([
    ['a file', () => file],
    ['a path under a file', () => join(file, 'data')],
  ])('refuses a DATA_DIR that is %s, naming the variable', (_label, path) => {
    expect(() => load({ DATA_DIR: path() })).toThrow(ConfigError);
    expect(() => load({ DATA_DIR: path() })).toThrow(/^DATA_DIR must be a directory the service can create and write \(.* is not a directory\)$/);
  });

  it('does not check DATA_DIR with PostgreSQL, which does not use it', () => {
    expect(load({ DATABASE_URL: 'postgres://db.test/app', DATA_DIR: file }).dataDir).toBe(file);
  });

  it('takes memory:// as the in-memory database, not a path', () => {
    expect(load({ DATA_DIR: 'memory://' }).dataDir).toBe('memory://');
  });
});
