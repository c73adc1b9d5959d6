import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './env.reader.js';
import { filesConfig } from './files.config.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return filesConfig();
}

describe('filesConfig UPLOAD_DIR', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'data-api-files-config-'));
    writeFileSync(join(root, 'afile'), 'x');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it('defaults to ./data/files, resolved to an absolute path', () => {
    expect(load({}).uploadDir).toBe(resolve('data/files'));
  });

  it('accepts a directory that does not exist yet', () => {
    expect(load({ UPLOAD_DIR: join(root, 'files') }).uploadDir).toBe(join(root, 'files'));
  });

  it.each(['afile', join('afile', 'files')])('refuses %p (a file is in the way), naming the variable', (relative) => {
    const env = { UPLOAD_DIR: join(root, relative) };
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(`UPLOAD_DIR must be a directory the service can create and write (${join(root, 'afile')} is not a directory)`);
  });
});
