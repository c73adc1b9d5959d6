import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { onRequestEnd, reportEndOnSocket, reportEndWithoutHooks, type RequestEnd, requestAwaitingResponse, trackRequestEnds } from './request-end.js';

async function server() {
  const ends: Array<RequestEnd & { url: string }> = [];
  const fastify = Fastify({
    frameworkErrors: (_error: Error, request: FastifyRequest, reply: FastifyReply) => {
      reportEndWithoutHooks(request, reply);
      reply.code(400).send('bad url');
    },
  });
  trackRequestEnds(fastify);
  onRequestEnd(fastify, (request, _reply, end) => ends.push({ url: request.url, ...end }));
  fastify.get('/ok', async () => 'ok');
  fastify.get('/items/:id', async () => 'item');
  fastify.get('/cut', async (request, reply) => {
    // What the clientErrorHandler does when Node cuts a request whose response has not started.
    const awaiting = requestAwaitingResponse(request.raw.socket);
    expect(awaiting).toBe(reply);
    reportEndOnSocket(awaiting!, { statusCode: 408, aborted: false });
    expect(requestAwaitingResponse(request.raw.socket)).toBeUndefined();
    return 'too late';
  });
  await fastify.ready();
  return { fastify, ends };
}

describe('trackRequestEnds', () => {
  it('reports each request once, with the status sent, unknown routes included', async () => {
    const { fastify, ends } = await server();
    await fastify.inject({ url: '/ok' });
    await fastify.inject({ url: '/nowhere' });
    expect(ends).toEqual([
      { url: '/ok', statusCode: 200, aborted: false },
      { url: '/nowhere', statusCode: 404, aborted: false },
    ]);
    await fastify.close();
  });

  it('reports a request Fastify answers without hooks when its response finishes', async () => {
    const { fastify, ends } = await server();
    const res = await fastify.inject({ url: '/items/%zz' });
    expect(res.statusCode).toBe(400);
    expect(ends).toEqual([{ url: '/items/%zz', statusCode: 400, aborted: false }]);
    await fastify.close();
  });

  it('reports the end recorded on the socket, not the response sent after it', async () => {
    const { fastify, ends } = await server();
    await fastify.inject({ url: '/cut' });
    expect(ends).toEqual([{ url: '/cut', statusCode: 408, aborted: false }]);
    await fastify.close();
  });

  it('refuses a listener before tracking is set up', () => {
    expect(() => onRequestEnd(Fastify(), () => undefined)).toThrow(/trackRequestEnds/);
  });
});
