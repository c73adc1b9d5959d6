import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../caller.js';

/** The verified caller of a guarded route. */
export const CurrentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Caller =>
    (context.switchToHttp().getRequest<FastifyRequest & { user: Caller }>()).user,
);
