import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';

/** A loopback port nobody listens on right now (the OS picks it; bind soon after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
