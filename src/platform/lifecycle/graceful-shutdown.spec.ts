import type { INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { ACCEPT_SETTLE_MS, shutdownSequence } from './graceful-shutdown.js';
import { ShutdownState } from './shutdown-state.js';

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

function fakeApp(close: () => Promise<void>, httpServer?: Server) {
  const state = new ShutdownState();
  const app = { get: () => state, getHttpServer: () => httpServer, close: jest.fn(close) } as unknown as INestApplication & {
    close: jest.Mock;
  };
  return { app, state };
}

describe('shutdownSequence', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flips readiness at once, serves through the drain, then closes and exits 0', async () => {
    const { app, state } = fakeApp(async () => undefined);
    const exit = jest.fn();
    const done = shutdownSequence(app, { shutdownDrainMs: 5_000, shutdownGraceMs: 25_000 }, { exit, logger })('SIGTERM');
    expect(state.isShuttingDown).toBe(true);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(app.close).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await done;
    expect(app.close).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs once: a second signal during the sequence starts nothing', async () => {
    const { app } = fakeApp(async () => undefined);
    const exit = jest.fn();
    const shutdown = shutdownSequence(app, { shutdownDrainMs: 100, shutdownGraceMs: 1_000 }, { exit, logger });
    const first = shutdown('SIGTERM');
    const second = shutdown('SIGINT');
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([first, second]);
    expect(app.close).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('SIGINT received while already shutting down'));
  });

  it('refuses new connections before closing, and leaves open ones to the close', async () => {
    jest.useRealTimers();
    const server = createServer((_request, response) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // An idle keep-alive connection: Node's http close would destroy it at once.
    const idle = connect({ host: '127.0.0.1', port });
    await once(idle, 'connect');
    let stateAtClose: { listening: boolean; idleOpen: boolean; settledMs: number } | undefined;
    let stoppedAt = 0;
    const { app } = fakeApp(async () => {
      stateAtClose = { listening: server.listening, idleOpen: !idle.destroyed && !idle.readableEnded, settledMs: Date.now() - stoppedAt };
      idle.destroy();
      server.closeAllConnections();
    }, server);
    const exit = jest.fn();
    const done = shutdownSequence(app, { shutdownDrainMs: 0, shutdownGraceMs: 5_000 }, { exit, logger })('SIGTERM');
    stoppedAt = Date.now();
    await done;
    expect(stateAtClose).toEqual({ listening: false, idleOpen: true, settledMs: expect.any(Number) });
    expect(stateAtClose!.settledMs).toBeGreaterThanOrEqual(ACCEPT_SETTLE_MS - 5);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('forces exit 1 at the grace deadline when closing hangs', async () => {
    const { app } = fakeApp(() => new Promise(() => undefined));
    const exit = jest.fn();
    void shutdownSequence(app, { shutdownDrainMs: 100, shutdownGraceMs: 1_000 }, { exit, logger })('SIGTERM');
    await jest.advanceTimersByTimeAsync(999);
    expect(exit).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('exits 1 when closing fails', async () => {
    const { app } = fakeApp(async () => {
      throw new Error('pool would not close');
    });
    const exit = jest.fn();
    const done = shutdownSequence(app, { shutdownDrainMs: 0, shutdownGraceMs: 1_000 }, { exit, logger })('SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    await done;
    expect(exit).toHaveBeenCalledWith(1);
    expect(exit).toHaveBeenCalledTimes(1);
  });
});
