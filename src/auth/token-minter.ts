import { JwtService } from '@nestjs/jwt';
import type { AuthConfig } from '../config/index.js';

export interface TokenRequest {
  sub: string;
  scope: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/**
 * Signs an HS256 token the running service accepts, for development and operators
 * (`npm run token`). Only a shared secret can sign: with a public key or JWKS the identity
 * provider issues tokens.
 */
export function mintToken(config: AuthConfig, request: TokenRequest, jwt = new JwtService()): string {
  const verification = config.verification;
  if (verification.kind !== 'secret') {
    throw new Error('Tokens can only be minted with JWT_SECRET; with JWT_PUBLIC_KEY or JWT_JWKS_URL the identity provider issues them');
  }
  return jwt.sign(
    { scope: request.scope },
    {
      secret: verification.key as unknown as string,
      algorithm: 'HS256',
      subject: request.sub,
      expiresIn: request.ttlSeconds,
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    },
  );
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * The longest lifetime a minted token may have. Nothing revokes a token before its `exp`, so a
 * typo (`--ttl 99999d`) must not print one that never expires; longer-lived access belongs to
 * an identity provider that can revoke it.
 */
export const MAX_TTL_DAYS = 30;

/** `90`, `90s`, `15m`, `1h`, `7d` → seconds, at most MAX_TTL_DAYS. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid TTL "${text}": use a number of seconds or 15m, 1h, 7d`);
  const seconds = Number(match[1]) * TTL_UNITS[match[2] || 's'];
  if (seconds <= 0) throw new Error('TTL must be positive');
  if (seconds > MAX_TTL_DAYS * TTL_UNITS.d) throw new Error(`TTL must be at most ${MAX_TTL_DAYS}d (got "${text.trim()}")`);
  return seconds;
}
