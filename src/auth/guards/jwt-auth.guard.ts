import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { MemoizedReflector } from '../../common/metadata/memoized-reflector.js';
import { AppError } from '../../core/errors/index.js';
import { bearerTokenFrom } from '../bearer-token.js';
import type { Caller } from '../caller.js';
import { IS_PUBLIC } from '../decorators/public.decorator.js';
import { VerifiedTokens } from '../verified-tokens.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="data-api"' };
const INVALID_TOKEN_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="data-api", error="invalid_token"' };

/**
 * A JWKS fetch that failed (endpoint down or erroring, or our own refetch limit reached), as
 * opposed to a token that is wrong. jwks-rsa reports an unknown `kid` as no key, i.e. a 401.
 */
function isKeySourceFailure(info: unknown): boolean {
  // Duck-typed: socket errors are created by Node's internals, possibly in another realm.
  if (typeof info !== 'object' || info === null) return false;
  const { name, code } = info as { name?: unknown; code?: unknown };
  return name === 'JwksError' || name === 'JwksRateLimitError' || typeof code === 'string';
}

/**
 * Global guard: every route needs a valid bearer token unless marked `@Public()`. A token that
 * passed the full check recently (VerifiedTokens) is not checked again until it expires.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verifiedTokens = new VerifiedTokens();
  private readonly metadata: MemoizedReflector;

  constructor(reflector: Reflector) {
    super();
    this.metadata = new MemoizedReflector(reflector);
  }

  override canActivate(context: ExecutionContext) {
    if (this.metadata.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>();
    const token = bearerTokenFrom(request);
    const known = token === null ? undefined : this.verifiedTokens.callerOf(token);
    if (known) {
      request.user = known;
      return true;
    }
    return this.verify(context, request, token);
  }

  /** The full check (passport-jwt, JwtStrategy.validate); a token it accepts is remembered. */
  private async verify(context: ExecutionContext, request: { user?: Caller }, token: string | null): Promise<boolean> {
    const accepted = (await super.canActivate(context)) as boolean;
    if (accepted && token !== null && request.user) this.verifiedTokens.remember(token, request.user);
    return accepted;
  }

  override handleRequest<T = Caller>(error: unknown, caller: T | false, info: unknown, context?: ExecutionContext): T {
    if (isKeySourceFailure(info)) {
      // The token may well be valid: the keys to check it could not be fetched.
      throw new AppError('SERVICE_UNAVAILABLE', 'Token verification keys are unavailable, retry later');
    }
    if (error || !caller) {
      // No bearer credentials (no header, another scheme, "Bearer" alone) get a bare challenge
      // (RFC 6750 §3.1); a bearer token that is malformed or fails verification is invalid_token.
      const header = context?.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
      const missing = !/^Bearer\s+\S/i.test(header ?? '');
      throw new AppError('UNAUTHORIZED', undefined, undefined, missing ? CHALLENGE : INVALID_TOKEN_CHALLENGE);
    }
    return caller;
  }
}
