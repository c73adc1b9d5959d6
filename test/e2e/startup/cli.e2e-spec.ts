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

  it('uses sub dev, scope "data:read data:write" and a lifetime of 1h by default', () => {
    const result = runCli('token.js', [], { JWT_SECRET: SECRET });
    expect(result.status).toBe(0);
    const claims = jwt.verify(result.stdout.trim(), SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'dev', scope: 'data:read data:write' });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('prints its usage, defaults and TTL syntax with --help, and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const result = runCli('token.js', [flag], {});
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^Usage: npm run token -- \[--sub <sub>\] \[--scope <scopes>\] \[--ttl <ttl>\]\n/);
      expect(result.stdout).toContain('(default: dev)');
      expect(result.stdout).toContain('(default: "data:read data:write")');
      expect(result.stdout).toContain('(default: 1h)');
      expect(result.stdout).toContain('90s, 15m, 1h, 7d');
      expect(result.stdout).toContain('at most 30d');
    }
  });

  it.each([
    ['an empty --sub', ['--sub', ''], '--sub must be 1 to 256 characters'],
    ['a --sub of 257 characters', ['--sub', 's'.repeat(257)], '--sub must be 1 to 256 characters'],
    ['a --ttl over 30 days', ['--ttl', '31d'], 'TTL must be at most 30d'],
    ['a --ttl no one would mean', ['--ttl', '99999999999999999d'], 'TTL must be at most 30d'],
  ])('refuses %s (a token the server refuses, or one that never expires): no token, one line saying why', (_label, args, message) => {
    const result = runCli('token.js', args, { JWT_SECRET: SECRET });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`token: ${message}`)).toBe(true);
  });

  it('accepts a --sub of 256 characters and a --ttl of 30d, the largest the server and the cap allow', () => {
    const result = runCli('token.js', ['--sub', 's'.repeat(256), '--ttl', '30d'], { JWT_SECRET: SECRET });
    expect(result.status).toBe(0);
    const claims = jwt.verify(result.stdout.trim(), SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.sub).toBe('s'.repeat(256));
    expect(claims.exp! - claims.iat!).toBe(30 * 86400);
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
