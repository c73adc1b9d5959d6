import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, for fault tests: `stop()` makes the service
 * "gone" (open connections cut, new ones refused), `pause()` makes it hang (connections
 * accepted, nothing forwarded), `start()` brings it back on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.paused = false;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** `url` (a database URL, say) pointed at this proxy instead of the real server. */
  rewrite(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.href;
  }

  /** Cuts every open connection and stops listening: connects are refused. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps accepting and holding connections but forwards nothing, like a stopped process. */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.pause();
  }

  private forward(client: Socket): void {
    this.sockets.add(client);
    if (this.paused) {
      client.pause();
      client.on('close', () => this.sockets.delete(client));
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    this.sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  }
}

/** A proxy in front of the test PostgreSQL (TEST_DATABASE_URL), for suites that cut it off. */
export function testDatabaseProxy(): TcpProxy {
  const target = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
  return new TcpProxy(target.hostname, Number(target.port || 5432));
}
