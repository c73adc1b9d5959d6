import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDirectory, ensureDirectory } from './ensure-directory.js';
import { ConfigError } from './env.reader.js';

const BUILT_MODULE = join(__dirname, '../../dist/config/ensure-directory.js');
const USABLE = /^UPLOAD_DIR must be a directory the service can create and write \(/;

describe('directories named by a variable', () => {
  let root: string;
  let file: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-api-dir-'));
    file = join(root, 'afile');
    writeFileSync(file, 'x');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('checkDirectory', () => {
    it('accepts an existing directory, and a missing one it could create, creating nothing', () => {
      expect(() => checkDirectory('UPLOAD_DIR', root)).not.toThrow();
      expect(() => checkDirectory('UPLOAD_DIR', join(root, 'a', 'b'))).not.toThrow();
      expect(existsSync(join(root, 'a'))).toBe(false);
    });

    it.each([
      ['a file', () => file, () => `${file} is not a directory`],
      ['a path under a file', () => join(file, 'pgdata'), () => `${file} is not a directory`],
      ['a path deeper under a file', () => join(file, 'a', 'b'), () => `${file} is not a directory`],
    ])('refuses %s with a ConfigError naming the variable and the path in the way', (_label, path, detail) => {
      expect(() => checkDirectory('UPLOAD_DIR', path())).toThrow(ConfigError);
      expect(() => checkDirectory('UPLOAD_DIR', path())).toThrow(USABLE);
      expect(() => checkDirectory('UPLOAD_DIR', path())).toThrow(`(${detail()})`);
    });

    it('refuses a directory it cannot write in', () => {
      const readOnly = join(root, 'ro');
      mkdirSync(readOnly, { mode: 0o555 });
      try {
        if (process.getuid?.() !== 0) {
          expect(() => checkDirectory('UPLOAD_DIR', join(readOnly, 'files'))).toThrow(`(${readOnly} is not writable)`);
          return;
        }
        // root writes anywhere, so as root the check runs as an ordinary user (nobody), on the
        // built module (`npm test` builds first).
        expect(existsSync(BUILT_MODULE)).toBe(true);
        chmodSync(root, 0o755);
        const script = `require(${JSON.stringify(BUILT_MODULE)}).checkDirectory('UPLOAD_DIR', ${JSON.stringify(join(readOnly, 'files'))})`;
        const run = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(`(${readOnly} is not writable)`);
      } finally {
        chmodSync(readOnly, 0o700);
      }
    });
  });

  describe('ensureDirectory', () => {
    it('creates a missing directory with its parents, and accepts an existing one', () => {
      const path = join(root, 'a', 'b');
      ensureDirectory('UPLOAD_DIR', path);
      expect(statSync(path).isDirectory()).toBe(true);
      expect(() => ensureDirectory('UPLOAD_DIR', path)).not.toThrow();
    });

    it.each([
      ['a file', () => file, 'EEXIST'],
      ['a path under a file', () => join(file, 'pgdata'), 'ENOTDIR'],
    ])('refuses %s with a ConfigError naming the variable and the path', (_label, path, code) => {
      expect(() => ensureDirectory('UPLOAD_DIR', path())).toThrow(ConfigError);
      expect(() => ensureDirectory('UPLOAD_DIR', path())).toThrow(USABLE);
      expect(() => ensureDirectory('UPLOAD_DIR', path())).toThrow(`(${code} at ${path()})`);
    });
  });
});
