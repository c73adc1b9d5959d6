import type { FastifyRequest } from 'fastify';
import { isExemptRoute, rateLimitTracker } from './rate-limit.tracker.js';

function request(ip: string, user?: { sub: string }): FastifyRequest {
  return { ip, ...(user ? { user: { ...user, scopes: new Set<string>() } } : {}) } as unknown as FastifyRequest;
}

describe('rateLimitTracker', () => {
  it('keys an authenticated request by its sub, whatever its address', () => {
    expect(rateLimitTracker(request('10.0.0.1', { sub: 'alice' }), 64)).toBe('sub:alice');
    expect(rateLimitTracker(request('10.0.0.2', { sub: 'alice' }), 64)).toBe('sub:alice');
  });

  it('keys an anonymous request by its client address', () => {
    expect(rateLimitTracker(request('10.0.0.1'), 64)).toBe('ip:10.0.0.1');
  });

  it('cannot be confused: a sub that looks like an address stays a sub', () => {
    expect(rateLimitTracker(request('10.0.0.1', { sub: '10.0.0.1' }), 64)).not.toBe(rateLimitTracker(request('10.0.0.1'), 64));
  });

  it('groups IPv6 addresses of one subnet', () => {
    const a = rateLimitTracker(request('2001:db8:1:2:aaaa::1'), 64);
    expect(rateLimitTracker(request('2001:db8:1:2:bbbb::2'), 64)).toBe(a);
    expect(rateLimitTracker(request('2001:db8:1:3::1'), 64)).not.toBe(a);
  });
});

describe('isExemptRoute', () => {
  it.each(['/metrics', '/health', '/health/live', '/health/ready'])('exempts %s', (template) => {
    expect(isExemptRoute(template)).toBe(true);
  });

  it.each(['/api/data', '/api/data/:id', '/healthcheck', '/metrics/:name', undefined])('limits %s', (template) => {
    expect(isExemptRoute(template)).toBe(false);
  });
});
