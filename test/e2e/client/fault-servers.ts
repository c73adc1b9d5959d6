import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback server a fault test starts; `close()` cuts every connection it still holds. */
export interface FaultServer {
  port: number;
  url: string;
  /** Requests (http servers) or connections (proxies) seen so far. */
  count: number;
  /** TCP connections accepted so far. */
  connections?: number;
  close(): Promise<void>;
}

async function listen(server: Server | HttpServer, sockets: Set<Socket>, onConnection = () => {}): Promise<{ port: number; close(): Promise<void> }> {
  server.on('connection', (socket: Socket) => {
    onConnection();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP server answering with `handler`; `n` counts requests from 1. */
export async function startHttpServer(handler: (request: IncomingMessage, response: ServerResponse, n: number) => void): Promise<FaultServer> {
  const state = { count: 0, connections: 0 };
  const server = createHttpServer((request, response) => handler(request, response, ++state.count));
  const { port, close } = await listen(server, new Set(), () => state.connections++);
  return Object.assign(state, { port, url: `http://127.0.0.1:${port}`, close }) as FaultServer;
}

/** Writes a success or error envelope as the service does. */
export function sendEnvelope(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const envelope = status < 400 ? { status: 'success', data: body, requestId: 'fault' } : { status: 'error', error: body, requestId: 'fault' };
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(envelope));
}

/** What a {@link FaultProxy} does with the connection of a given index. */
export type ProxyFault =
  /** Reset (TCP RST) as soon as the client sends its first bytes. */
  | 'reset'
  /** Forward the request, then drop the server's response and cut the connection. */
  | 'lose-response'
  | 'forward';

/**
 * A TCP proxy in front of the real app applying one fault per new connection (the list in
 * order, then 'forward'). It records what each client connection sent and each lost response.
 */
export class FaultProxy implements FaultServer {
  port = 0;
  url = '';
  count = 0;
  /** Bytes clients sent, per connection. */
  readonly sent: string[] = [];
  /** Responses the 'lose-response' fault dropped. */
  readonly lost: string[] = [];
  private readonly sockets = new Set<Socket>();
  private closeServer: () => Promise<void> = async () => undefined;

  constructor(
    private readonly targetPort: number,
    private readonly faults: ProxyFault[],
  ) {}

  async start(): Promise<this> {
    const { port, close } = await listen(createServer((client) => this.handle(client)), this.sockets);
    Object.assign(this, { port, url: `http://127.0.0.1:${port}`, closeServer: close });
    return this;
  }

  close(): Promise<void> {
    return this.closeServer();
  }

  private handle(client: Socket): void {
    const index = this.count++;
    const fault = this.faults[index] ?? 'forward';
    this.sent[index] = '';
    client.on('error', () => undefined);
    if (fault === 'reset') {
      client.once('data', (chunk: Buffer) => {
        this.sent[index] += chunk.toString('latin1');
        client.resetAndDestroy();
      });
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    client.on('data', (chunk: Buffer) => {
      this.sent[index] += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (fault === 'forward') return void client.write(chunk);
      this.lost.push(chunk.toString('utf8'));
      client.resetAndDestroy();
    });
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const { port, close } = await listen(server, new Set());
  await close();
  return port;
}

/**
 * A loopback port whose connects hang: a stopped process (SIGSTOP) listening with a backlog of
 * one, its accept queue filled first, so the kernel drops further SYNs instead of refusing them.
 */
export async function hangingListener(): Promise<{ port: number; close(): Promise<void> }> {
  const script = "const s = require('node:net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  const close = async () => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  };
  // Fill the accept queue until a connect no longer completes (a few at most).
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await Promise.race([once(socket, 'connect').then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, 200, false))]);
    if (!connected) return { port, close };
  }
  await close();
  throw new Error('Could not make connects to the stopped listener hang');
}
