import Fastify from 'fastify';
import { registerSecurityHeaders } from './security-headers.js';

async function server() {
  const fastify = Fastify();
  registerSecurityHeaders(fastify, {
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"] } },
    frameguard: { action: 'deny' },
  });
  fastify.get('/api', async () => ({ ok: true }));
  fastify.get('/ui', { config: { helmet: { contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'self'"] } } } } }, async () => 'ui');
  await fastify.ready();
  return fastify;
}

describe('registerSecurityHeaders', () => {
  it('sends the global headers on every response, unknown routes included', async () => {
    const fastify = await server();
    for (const url of ['/api', '/api', '/nowhere']) {
      const res = await fastify.inject({ url });
      expect(res.headers['content-security-policy']).toBe("default-src 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    await fastify.close();
  });

  it("merges a route's own options over the global ones", async () => {
    const fastify = await server();
    const res = await fastify.inject({ url: '/ui' });
    expect(res.headers['content-security-policy']).toBe("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    await fastify.close();
  });
});
