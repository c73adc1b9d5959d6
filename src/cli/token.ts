/**
 * `npm run token -- --sub alice --scope "data:read data:write" --ttl 1h`
 * Prints a token signed with the configured JWT_SECRET (and JWT_ISSUER/JWT_AUDIENCE when set).
 */
import { parseArgs } from 'node:util';
import { isAcceptableSub, SUB_MAX_LENGTH } from '../auth/caller.js';
import { MAX_TTL_DAYS, mintToken, parseTtl } from '../auth/token-minter.js';
import { authConfig } from '../config/index.js';
import { loadEnvFile } from '../config/load-env-file.js';

const DEFAULTS = { sub: 'dev', scope: 'data:read data:write', ttl: '1h' };

const USAGE = `Usage: npm run token -- [--sub <sub>] [--scope <scopes>] [--ttl <ttl>]

Prints an HS256 token signed with JWT_SECRET (read from the environment or .env), with
JWT_ISSUER and JWT_AUDIENCE as iss and aud when set.

  --sub <sub>       the caller, owner of what it stores: 1 to ${SUB_MAX_LENGTH} characters (default: ${DEFAULTS.sub})
  --scope <scopes>  space-separated scopes: data:read, data:write, data:admin (default: "${DEFAULTS.scope}")
  --ttl <ttl>       lifetime: seconds (90) or a number with s, m, h or d (90s, 15m, 1h, 7d),
                    at most ${MAX_TTL_DAYS}d (default: ${DEFAULTS.ttl})
  -h, --help        print this help
`;

function main(): void {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: DEFAULTS.sub },
      scope: { type: 'string', default: DEFAULTS.scope },
      ttl: { type: 'string', default: DEFAULTS.ttl },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  // The server would answer such a token with 401: refuse to print it.
  if (!isAcceptableSub(values.sub)) {
    throw new Error(`--sub must be 1 to ${SUB_MAX_LENGTH} characters with no NUL or unpaired surrogate (the server refuses any other sub)`);
  }
  const ttlSeconds = parseTtl(values.ttl);
  loadEnvFile();
  const config = authConfig();
  if (config.verification.kind === 'secret' && config.verification.ephemeral) {
    throw new Error('Set JWT_SECRET (the same value the server uses) to mint a token it accepts');
  }
  process.stdout.write(`${mintToken(config, { sub: values.sub, scope: values.scope, ttlSeconds })}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(1);
}
