import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessLevel, accessLine } from './access-log.js';

function finished(options: { url?: string; status?: number; length?: string; user?: unknown; elapsed?: number } = {}) {
  const request = { method: 'GET', url: '/api/data/123?token=x', routeOptions: { url: options.url }, user: options.user } as unknown as FastifyRequest;
  const headers: Record<string, string | undefined> = { 'content-length': options.length };
  const reply = {
    statusCode: options.status ?? 200,
    elapsedTime: options.elapsed ?? 12.3456789,
    getHeader: (name: string) => headers[name],
  } as unknown as FastifyReply;
  return [request, reply] as const;
}

describe('accessLine', () => {
  it('has method, route template, status, duration (ms, 3 decimals), bytes and the caller', () => {
    const line = accessLine(...finished({ url: '/api/data/:id', length: '388', user: { sub: 'alice', scopes: new Set() } }));
    expect(line).toEqual({ method: 'GET', route: '/api/data/:id', statusCode: 200, durationMs: 12.346, bytes: 388, sub: 'alice' });
  });

  it('says unmatched when no route matched, and never carries the raw URL', () => {
    const line = accessLine(...finished({ status: 404 }));
    expect(line.route).toBe('unmatched');
    expect(JSON.stringify(line)).not.toContain('token');
  });

  it('takes the status from how the request ended, and marks an aborted one without its bytes', () => {
    const [request, reply] = finished({ url: '/api/data', length: '388' });
    expect(accessLine(request, reply, { statusCode: 408, aborted: false })).toEqual({ method: 'GET', route: '/api/data', statusCode: 408, durationMs: 12.346, bytes: 388 });
    expect(accessLine(request, reply, { statusCode: 499, aborted: true })).toEqual({ method: 'GET', route: '/api/data', statusCode: 499, durationMs: 12.346, aborted: true });
  });

  it('leaves bytes and sub out when unknown', () => {
    const line = accessLine(...finished({ url: '/api/data' }));
    expect(line).not.toHaveProperty('bytes');
    expect(line).not.toHaveProperty('sub');
  });
});

describe('accessLevel', () => {
  it.each([
    [200, '/api/data', 'info'],
    [404, 'unmatched', 'info'],
    [499, '/api/data', 'info'],
    [500, '/api/data', 'error'],
    [503, '/health/ready', 'warn'],
    [500, '/health/ready', 'error'],
    [503, '/api/data', 'error'],
    [200, '/health/live', 'debug'],
    [200, '/health/ready', 'debug'],
    [200, '/metrics', 'debug'],
    [200, '/metricsx', 'info'],
  ])('%i on %s → %s', (statusCode, route, level) => {
    expect(accessLevel({ statusCode, route })).toBe(level);
  });
});
