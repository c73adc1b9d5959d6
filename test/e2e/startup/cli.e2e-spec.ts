import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { ROOT } from '../../helpers/server-process.js';

const SECRET = 'cli-secret-that-is-at-least-32-bytes-long';

function runCli(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run token', () => {
  it('prints a token signed with JWT_SECRET carrying sub, scope, exp, iss and aud', () => {
    const result = runCli('token.js', ['--sub', 'alice', '--scope', 'data:read data:write', '--ttl', '1h'], {
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://issuer.test',
      JWT_AUDIENCE: 'data-api',
    });
    expect(result.status).toBe(0);
    const claims = jwt.verify(result.stdout.trim(), SECRET, {
      algorithms: ['HS256'],
      issuer: 'https://issuer.test',
      audience: 'data-api',
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'alice', scope: 'data:read data:write' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('refuses without JWT_SECRET, since the server would not accept the token', () => {
    const result = runCli('token.js', ['--sub', 'alice'], {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Set JWT_SECRET');
  });
});

describe('npm run migrate', () => {
  it('applies the migrations to the embedded database once, then reports it up to date', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-api-migrate-'));
    try {
      const first = runCli('migrate.js', [], { DATA_DIR: dataDir });
      expect(first.stdout).toContain('applied: 001-create-records');
      expect(first.status).toBe(0);
      const second = runCli('migrate.js', [], { DATA_DIR: dataDir });
      expect(second.stdout.trim()).toBe('up to date');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two cold starts of the embedded database on disk.
  }, 120_000);
});
