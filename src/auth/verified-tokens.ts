import { LRUCache } from 'lru-cache';
import type { Caller } from './caller.js';

/** Tokens remembered at once; past this, the least recently used is forgotten (verified again on use). */
export const VERIFIED_TOKENS_MAX = 10_000;
/** Characters of token text remembered at once (about 16 MB of strings at most). */
export const VERIFIED_TOKENS_MAX_CHARS = 8 * 1024 * 1024;
/**
 * Longest a verification is trusted before the token is checked again, whatever its `exp`. Well
 * under the 10 min jwks-rsa keeps a signing key, so a key withdrawn from the JWKS stops being
 * honoured no later than it did without this cache.
 */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

interface Verified {
  caller: Caller;
  /** Date.now() from which the entry is not used. */
  trustedUntil: number;
}

/** The `exp` claim of a token that has just passed verification (so its payload is known to be JSON). */
function expiryOf(token: string): number | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const exp = (payload as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tokens that passed verification, by their exact text, with the caller they stand for. A client
 * sends the same token on every request; checking its signature and claims each time was the
 * largest single cost of a cached read. An entry is used until the token's `exp`, and for
 * VERIFIED_TOKEN_MAX_AGE_MS at most. Only successes
 * are remembered: a bad token gets the full check, and its 401, every time.
 */
export class VerifiedTokens {
  private readonly entries = new LRUCache<string, Verified>({
    max: VERIFIED_TOKENS_MAX,
    // Tokens from some identity providers run to kilobytes: the memory is bounded, not only the count.
    maxSize: VERIFIED_TOKENS_MAX_CHARS,
    sizeCalculation: (_verified, token) => token.length,
  });

  /** The caller of a token verified earlier and still within its lifetime, else undefined. */
  callerOf(token: string): Caller | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.trustedUntil) return entry.caller;
    this.entries.delete(token);
    return undefined;
  }

  /** After the full check accepted `token` for `caller`. */
  remember(token: string, caller: Caller): void {
    // The strategy refuses tokens without a numeric exp, so this is only a guard against misuse.
    const exp = expiryOf(token);
    if (exp === undefined) return;
    const now = Date.now();
    // `exp` itself, without the clock tolerance: within the tolerance every use is checked in full.
    const trustedUntil = Math.min(exp * 1000, now + VERIFIED_TOKEN_MAX_AGE_MS);
    if (trustedUntil > now) this.entries.set(token, { caller, trustedUntil });
  }
}
