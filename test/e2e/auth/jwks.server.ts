import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonWebKey, KeyObject } from 'node:crypto';

export interface JwksServer {
  url: string;
  /** Every request the server received, in order. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** A JWKS entry for a public key, as an identity provider publishes it. */
export function jwkOf(publicKey: KeyObject, kid: string, alg: 'RS256' | 'ES256'): JsonWebKey {
  return { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

/** A real HTTP server on 127.0.0.1 serving `{ keys }` at any path, counting its requests. */
export async function startJwksServer(keys: JsonWebKey[]): Promise<JwksServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
