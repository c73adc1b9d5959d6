/**
 * Whether an error means a dependency (the database, an identity provider) could not be
 * reached or went away, as opposed to a bug: such requests get 503 SERVICE_UNAVAILABLE,
 * which clients and gateways may retry, instead of 500.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect
// now), 53300 (too many connections).
const POSTGRES_UNAVAILABLE = /^(08\w{3}|57P0[123]|53300)$/;

// node-postgres reports its own timeouts and dropped connections without a code.
const DRIVER_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error/i;

export function isDependencyFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.test(message);
}
