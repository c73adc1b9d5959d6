import { ConnectionError, TimeoutError, TransportError } from './client.errors.js';

const TIMEOUT_PHASE: Record<string, TimeoutError['phase']> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/** undici and socket error codes that mean the connection failed, not the request. */
const CONNECTION_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_CHUNK_SIZE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);

/**
 * The client's transport error for an undici or socket failure, or undefined when `error` is
 * something else (a caller's abort, a bug) that must surface unchanged.
 */
export function toTransportError(error: unknown, requestId?: string): TransportError | undefined {
  if (error instanceof TransportError) return error;
  // Duck-typed: socket errors may come from another realm (a VM context) than this module.
  if (!isError(error)) return undefined;
  const code = errorCode(error);
  const phase = code ? TIMEOUT_PHASE[code] : undefined;
  if (phase) return new TimeoutError(`Timed out waiting for the ${phase === 'connect' ? 'connection' : `response ${phase}`}`, phase, { cause: error, requestId });
  if (code && CONNECTION_CODES.has(code)) return new ConnectionError(`Connection failed: ${error.message} (${code})`, { cause: error, requestId });
  if (error.name === 'HTTPParserError') return new ConnectionError(`Malformed response: ${error.message}`, { cause: error, requestId });
  return undefined;
}

function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps socket failures of a connect attempt (e.g. an AggregateError of IPv4/IPv6 tries).
  const cause = (error as { cause?: unknown }).cause;
  return isError(cause) ? errorCode(cause) : undefined;
}
