import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote. */
  response: string;
  /** Who ended the connection: the server, or this client when `timeoutMs` ran out. */
  closedBy: 'server' | 'client-timeout';
}

/**
 * Sends bytes exactly as given over a fresh loopback connection and collects everything the
 * server writes until it closes the connection (or `timeoutMs` passes). For requests no HTTP
 * client would send: oversized headers, wrong Content-Length, broken framing, slow senders.
 */
export function rawHttpExchange(
  port: number,
  request: string | Buffer,
  options: { halfClose?: boolean; timeoutMs?: number } = {},
): Promise<RawExchange> {
  const { halfClose = false, timeoutMs = 5_000 } = options;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let closedBy: RawExchange['closedBy'] = 'server';
    const timer = setTimeout(() => {
      closedBy = 'client-timeout';
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('utf8')));
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (response) resolve({ response, closedBy });
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedBy });
    });
    // Half-closing says "no more bytes are coming", as a client that gives up mid-body does.
    if (halfClose) socket.end(request);
    else socket.write(request);
  });
}

/** What the server wrote (see rawHttpExchange). */
export async function rawHttp(port: number, request: string | Buffer, options: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return (await rawHttpExchange(port, request, options)).response;
}

/** The status line's code and the JSON body of the first response in `raw`. */
export function parseRawResponse(raw: string): { status: number; headers: string; body: unknown } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const text = rest.join('\r\n\r\n');
  const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? text.length);
  return { status, headers: head, body: JSON.parse(text.slice(0, length)) };
}
