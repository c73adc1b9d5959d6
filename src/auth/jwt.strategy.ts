import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { type SecretOrKeyProvider, Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { bearerTokenFrom } from './bearer-token.js';
import { authConfig, type AuthConfig } from '../config/index.js';
import { type Caller, isAcceptableSub, scopesFromClaim } from './caller.js';

interface TokenPayload {
  sub?: unknown;
  exp?: unknown;
  iat?: unknown;
  scope?: unknown;
}

/** A token whose signature and registered claims jsonwebtoken has verified (`complete: true`). */
export interface VerifiedToken {
  header: Record<string, unknown>;
  payload: TokenPayload;
}

function keyOptions(config: AuthConfig): { secretOrKey: string } | { secretOrKeyProvider: SecretOrKeyProvider } {
  const verification = config.verification;
  if (verification.kind === 'jwks') {
    return {
      // Cached per `kid`, refetched at most 10 times a minute: an unknown `kid` cannot make
      // the service hammer the identity provider. `jku`/`x5u` headers are never followed.
      secretOrKeyProvider: passportJwtSecret({
        jwksUri: verification.url,
        cache: true,
        cacheMaxEntries: 10,
        cacheMaxAge: 10 * 60_000,
        rateLimit: true,
        jwksRequestsPerMinute: 10,
        timeout: 5_000,
      }),
    };
  }
  // passport-jwt hands the key straight to jsonwebtoken, which accepts a KeyObject.
  return { secretOrKey: verification.key as unknown as string };
}

/** Verifies `Authorization: Bearer <JWT>`: pinned algorithms, `exp` and `sub` required. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly clockToleranceS: number;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    super({
      jwtFromRequest: bearerTokenFrom,
      ...keyOptions(config),
      algorithms: config.verification.algorithms,
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
      // `complete`: validate() gets the header as well as the payload (see `crit` there).
      jsonWebTokenOptions: { clockTolerance: config.clockToleranceS, complete: true },
    } as StrategyOptionsWithoutRequest);
    this.clockToleranceS = config.clockToleranceS;
  }

  validate(token: VerifiedToken): Caller | false {
    // RFC 7515 §4.1.11: a recipient that does not understand every extension `crit` lists must
    // refuse the token. This service understands none, so any `crit` header is refused.
    if (Object.hasOwn(token.header, 'crit')) return false;
    return this.callerOf(token.payload);
  }

  /** The caller a verified payload stands for, or false when its claims cannot make one. */
  callerOf(payload: TokenPayload): Caller | false {
    // jsonwebtoken only checks `exp` when present: a token without one would never expire.
    if (typeof payload.exp !== 'number') return false;
    // jsonwebtoken ignores `iat`: a token issued in the future comes from a clock far ahead or a forger.
    if (payload.iat !== undefined && !this.issuedInThePast(payload.iat)) return false;
    // `sub` becomes the owner column: text PostgreSQL cannot store would turn a token into a 500.
    if (!isAcceptableSub(payload.sub)) return false;
    return { sub: payload.sub, scopes: scopesFromClaim(payload.scope) };
  }

  private issuedInThePast(iat: unknown): boolean {
    return typeof iat === 'number' && iat <= Date.now() / 1000 + this.clockToleranceS;
  }
}
