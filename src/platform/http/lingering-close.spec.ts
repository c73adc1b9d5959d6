import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { LINGER_IDLE_MS, LINGER_MAX_MS, registerLingeringClose } from './lingering-close.js';

type OnSend = (request: unknown, reply: unknown, payload: unknown, done: (error: null, payload: unknown) => void) => void;

/** The onSend hook registerLingeringClose adds, and a socket as Node's HTTP server holds it. */
function setUp(complete: boolean) {
  let hook: OnSend | undefined;
  registerLingeringClose({ addHook: (_name: string, fn: OnSend) => (hook = fn) } as unknown as FastifyInstance);
  const socket = Object.assign(new EventEmitter(), { end: jest.fn(), destroy: jest.fn(), destroySoon: jest.fn() });
  const original = socket.destroySoon;
  const done = jest.fn();
  hook!({ raw: { complete, socket } }, {}, 'body', done);
  expect(done).toHaveBeenCalledWith(null, 'body');
  return { socket, original };
}

describe('registerLingeringClose', () => {
  afterEach(() => jest.useRealTimers());

  it('leaves a connection whose request was read in full to Node', () => {
    const { socket, original } = setUp(true);
    expect(socket.destroySoon).toBe(original);
  });

  it('half-closes after a response sent before the body was read, and destroys once the client ends', () => {
    const { socket } = setUp(false);
    socket.destroySoon();
    expect(socket.end).toHaveBeenCalled();
    expect(socket.destroy).not.toHaveBeenCalled();
    socket.emit('end');
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('destroys once the client has sent nothing for LINGER_IDLE_MS, each read restarting the wait', () => {
    jest.useFakeTimers();
    const { socket } = setUp(false);
    socket.destroySoon();
    jest.advanceTimersByTime(LINGER_IDLE_MS - 1);
    socket.emit('data', Buffer.from('more body'));
    jest.advanceTimersByTime(LINGER_IDLE_MS - 1);
    expect(socket.destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('destroys after LINGER_MAX_MS however steadily the client keeps sending', () => {
    jest.useFakeTimers();
    const { socket } = setUp(false);
    socket.destroySoon();
    for (let elapsed = 0; elapsed < LINGER_MAX_MS - 1_000; elapsed += 1_000) {
      jest.advanceTimersByTime(1_000);
      socket.emit('data', Buffer.from('more body'));
    }
    jest.advanceTimersByTime(999);
    expect(socket.destroy).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(socket.destroy).toHaveBeenCalled();
  });
});
