/**
 * `npm run token -- --sub alice --scope "data:read data:write" --ttl 1h`
 * Prints a token signed with the configured JWT_SECRET (and JWT_ISSUER/JWT_AUDIENCE when set).
 */
import { parseArgs } from 'node:util';
import { authConfig } from '../config/index.js';
import { loadEnvFile } from '../config/load-env-file.js';
import { mintToken, parseTtl } from '../auth/token-minter.js';

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'dev' },
      scope: { type: 'string', default: 'data:read data:write' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  loadEnvFile();
  const config = authConfig();
  if (config.verification.kind === 'secret' && config.verification.ephemeral) {
    throw new Error('Set JWT_SECRET (the same value the server uses) to mint a token it accepts');
  }
  process.stdout.write(`${mintToken(config, { sub: values.sub, scope: values.scope, ttlSeconds: parseTtl(values.ttl) })}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
}
