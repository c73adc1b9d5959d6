import { normalizeIp } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../auth/index.js';
import { METRICS_PATH } from '../metrics/index.js';

/**
 * Whose budget a request spends: the token's subject once JwtAuthGuard has verified it, else
 * the client address (`request.ip`, which honours TRUST_PROXY through Fastify's trustProxy).
 * IPv6 addresses are grouped by subnet, since one client commonly holds a whole /64.
 */
export function rateLimitTracker(request: FastifyRequest, ipv6SubnetPrefix: number): string {
  const sub = (request as FastifyRequest & { user?: Caller }).user?.sub;
  return sub ? `sub:${sub}` : `ip:${normalizeIp(request.ip, ipv6SubnetPrefix)}`;
}

/** Probes and the scrape are never limited: an orchestrator must always reach them. */
export function isExemptRoute(template: string | undefined): boolean {
  return template === METRICS_PATH || template === '/health' || (template?.startsWith('/health/') ?? false);
}
