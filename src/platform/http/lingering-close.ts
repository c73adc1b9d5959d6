import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';

/** How long a closing connection keeps reading what the client still sends. */
export const LINGER_MS = 2_000;

/**
 * Like nginx's `lingering_close`: when a response goes out before the request body was read
 * (413 over BODY_LIMIT, 401, 415, ...) and the connection is to be closed, Node closes the
 * socket as soon as the response is flushed. A client still uploading then makes the kernel
 * answer with a reset, which can destroy the response before the client has read it: it sees
 * ECONNRESET instead of the status. Instead, half-close after the response and keep reading
 * (Node discards the unread body) until the client closes too, or LINGER_MS at most.
 */
export function registerLingeringClose(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (!request.raw.complete) lingerOnClose(request.raw.socket);
    done(null, payload);
  });
}

function lingerOnClose(socket: Socket): void {
  // Node's HTTP server calls destroySoon() once the last response has been written.
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.end();
  };
}
