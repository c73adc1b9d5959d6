import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../helpers/server-process.js';

const CLIENT_DIR = join(ROOT, 'src', 'client');

/** Every import/export/require specifier of a TypeScript source. */
function specifiers(source: string): string[] {
  const patterns = [/\b(?:import|export)\s[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

describe('the client package boundary', () => {
  it('src/client imports only node:*, undici, @nestjs/common and its own files', async () => {
    const files = (await readdir(CLIENT_DIR)).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
    expect(files).toContain('index.ts');
    const offending: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      const found = specifiers(await readFile(join(CLIENT_DIR, file), 'utf8'));
      found.forEach((specifier) => seen.add(specifier));
      for (const specifier of found) {
        const allowed = specifier.startsWith('node:') || specifier === 'undici' || specifier === '@nestjs/common' || /^\.\/[\w.-]+\.js$/.test(specifier);
        if (!allowed) offending.push(`${file}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
    // The scan does see imports, of each allowed kind.
    expect([...seen]).toEqual(expect.arrayContaining(['undici', '@nestjs/common', 'node:stream', './client.errors.js']));
  });

  it('is exposed as data-api/client with its type declarations (after the build)', async () => {
    expect(existsSync(join(ROOT, 'dist', 'client', 'index.js'))).toBe(true);
    const declarations = await readFile(join(ROOT, 'dist', 'client', 'index.d.ts'), 'utf8');
    expect(declarations).toMatch(/DataApiClient/);
    // A separate Node process resolves the package's own name through its "exports" map.
    const script = "const c = require('data-api/client'); console.log(typeof c.DataApiClient, typeof c.DataApiClientModule, typeof c.ApiError, require.resolve('data-api/client'))";
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT, timeout: 20_000 });
    expect(stdout.trim()).toBe(`function function function ${join(ROOT, 'dist', 'client', 'index.js')}`);
  });
});
