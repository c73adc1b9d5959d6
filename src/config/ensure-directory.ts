import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './env.reader.js';

const usable = (variable: string, detail: string) =>
  new ConfigError(`${variable} must be a directory the service can create and write (${detail})`);

/** Whether the process may create entries in the directory `path`. */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks, reading only, that `path` is a writable directory or can be created as one (its
 * nearest existing ancestor is a writable directory). Config namespaces call it, so a file in
 * the way stops startup with one line naming `variable`, before any module is built; creating
 * the directory is left to the code that uses it (ensureDirectory).
 */
export function checkDirectory(variable: string, path: string): void {
  for (let current = resolve(path); ; current = dirname(current)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing, or under a file (ENOTDIR): the ancestor that exists decides.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(current) !== current) continue;
      throw usable(variable, `${code ?? (error as Error).message} at ${current}`);
    }
    if (!isDirectory) throw usable(variable, `${current} is not a directory`);
    if (!writable(current)) throw usable(variable, `${current} is not writable`);
    return;
  }
}

/**
 * Creates `path` (with its parents) unless it exists. What checkDirectory could not foresee
 * (a file created since, a read-only file system) still fails naming `variable`: the raw fs
 * error (ENOTDIR, EEXIST, EROFS) names only the path.
 */
export function ensureDirectory(variable: string, path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw usable(variable, `${(error as NodeJS.ErrnoException).code ?? (error as Error).message} at ${path}`);
  }
}
