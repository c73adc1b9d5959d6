import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { MemoizedReflector } from '../../common/metadata/memoized-reflector.js';
import { AppError } from '../../core/errors/index.js';
import { type Caller, hasScope } from '../caller.js';
import { REQUIRED_SCOPES } from '../decorators/scopes.decorator.js';

/** Runs after JwtAuthGuard: the caller must hold every scope the route declares. */
@Injectable()
export class ScopesGuard implements CanActivate {
  private readonly metadata: MemoizedReflector;

  constructor(reflector: Reflector) {
    this.metadata = new MemoizedReflector(reflector);
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.metadata.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const caller = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>().user;
    const missing = caller ? required.filter((scope) => !hasScope(caller, scope)) : required;
    if (missing.length > 0) {
      throw new AppError('FORBIDDEN', `Token lacks the required scope: ${missing.join(' ')}`, undefined, {
        'WWW-Authenticate': `Bearer realm="data-api", error="insufficient_scope", scope="${required.join(' ')}"`,
      });
    }
    return true;
  }
}
