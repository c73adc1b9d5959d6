import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';

/** How long a closing connection waits for more of what the client still sends (nginx's lingering_timeout). */
export const LINGER_IDLE_MS = 5_000;
/** How long it keeps reading at most, however steadily the client sends (nginx's lingering_time, shortened to stay well inside SHUTDOWN_GRACE_MS). */
export const LINGER_MAX_MS = 10_000;

/**
 * Like nginx's `lingering_close`: when a response goes out before the request body was read
 * (413 over BODY_LIMIT, 401, 415, ...) and the connection is to be closed, Node closes the
 * socket as soon as the response is flushed. A client still uploading then makes the kernel
 * answer with a reset, which can destroy the response before the client has read it: it sees
 * ECONNRESET instead of the status. Instead, half-close after the response and keep reading and
 * discarding until the client closes too, or it sends nothing for LINGER_IDLE_MS, or
 * LINGER_MAX_MS have passed. The idle timer restarts with each read, as nginx's does: a client
 * that is slow to read the response (a far network, a busy process) keeps sending meanwhile,
 * and a fixed short cap reset it before it saw the status.
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
    const destroy = () => this.destroy();
    const cap = setTimeout(destroy, LINGER_MAX_MS).unref();
    const idle = setTimeout(destroy, LINGER_IDLE_MS).unref();
    const discard = () => idle.refresh();
    this.on('data', discard);
    this.once('close', () => {
      clearTimeout(cap);
      clearTimeout(idle);
      this.off('data', discard);
    });
    this.once('end', destroy);
    this.end();
  };
}
