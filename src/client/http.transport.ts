import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, interceptors, Pool } from 'undici';
import { ApiError, codeForStatus, createApiError, parseErrorEnvelope, TransportError } from './client.errors.js';
import type { ResolvedClientOptions } from './client.options.js';
import { responseTimeout } from './response-timeout.interceptor.js';
import { timedConnector } from './timed-connector.js';
import { toTransportError } from './transport-failure.js';
import { parseRetryAfter, RetryPolicy } from './retry.policy.js';

/** Per-call options every method accepts. */
export interface CallOptions {
  /** `X-Request-Id` to send (propagate the id of the request being handled); same on every attempt. */
  requestId?: string;
  /** Aborts the call, including a wait between retries; the abort reason is thrown as is. */
  signal?: AbortSignal;
}

/** One logical request; the transport may send it several times. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query below the base URL, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  /** A function is called once per attempt, for bodies that are streams. */
  body?: string | Buffer | (() => Readable);
  /** False when the body cannot be sent twice: the request gets exactly one attempt. */
  replayable?: boolean;
  /** Sent as `Idempotency-Key`; the same on every attempt. */
  idempotencyKey?: string;
  /** False for the public health probes. */
  authenticated?: boolean;
  call?: CallOptions;
}

/** A response whose status the caller accepted; its body must be read or destroyed. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Bytes of an error body read to find the envelope; a bigger body is no envelope of ours. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Sends requests over one keep-alive connection pool with timeouts, transparent gzip/brotli
 * decoding and the retry policy. Reading the response (`read`) belongs to the attempt, so a
 * body cut off mid-way is retried like a refused connection.
 */
export class HttpTransport {
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;
  private readonly policy: RetryPolicy;

  constructor(private readonly options: ResolvedClientOptions) {
    this.pool = new Pool(options.origin, {
      connections: options.connections,
      connect: timedConnector(options.connectTimeoutMs),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    // undici's parser timeouts stay as a backstop; responseTimeout is the precise one.
    this.dispatcher = this.pool.compose(interceptors.decompress(), responseTimeout(options.timeoutMs));
    this.policy = new RetryPolicy(options);
  }

  /**
   * Sends `spec` until an attempt succeeds or the policy gives up. Statuses from 400 up become
   * typed `ApiError`s unless `accept` takes them (health probes accept 503).
   */
  async send<T>(spec: RequestSpec, read: (response: HttpResponse) => Promise<T>, accept = (status: number) => status < 400): Promise<T> {
    const started = performance.now();
    const requestId = spec.call?.requestId ?? this.options.requestId?.();
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.dispatch(spec, requestId);
        if (!accept(response.status)) throw await this.errorFrom(response, requestId);
        return await read(response);
      } catch (caught) {
        const error = toTransportError(caught, requestId) ?? caught;
        if (spec.call?.signal?.aborted) throw spec.call.signal.reason ?? error;
        const delay = this.policy.delayBeforeRetry({
          error,
          attempt,
          elapsedMs: performance.now() - started,
          replayable: spec.replayable !== false,
          idempotencyKey: spec.idempotencyKey !== undefined,
        });
        if (delay === undefined) throw withAttempts(error, attempt);
        await pause(delay, spec.call?.signal);
      }
    }
  }

  /** Closes idle connections and waits for requests in flight. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private async dispatch(spec: RequestSpec, requestId: string | undefined): Promise<HttpResponse> {
    const headers = await this.headers(spec, requestId);
    const body = typeof spec.body === 'function' ? spec.body() : spec.body;
    const { statusCode, headers: responseHeaders, body: responseBody } = await this.dispatcher.request({
      origin: this.options.origin,
      path: this.options.pathPrefix + spec.path,
      method: spec.method,
      headers,
      body,
      signal: spec.call?.signal,
    });
    return { status: statusCode, headers: responseHeaders, body: responseBody };
  }

  private async headers(spec: RequestSpec, requestId: string | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'application/json',
      'accept-encoding': 'br, gzip',
      ...spec.headers,
    };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    const { token } = this.options;
    if (token !== undefined && spec.authenticated !== false) {
      headers.authorization = `Bearer ${typeof token === 'function' ? await token() : token}`;
    }
    return headers;
  }

  private async errorFrom(response: HttpResponse, sentRequestId: string | undefined): Promise<Error> {
    const text = await readText(response.body, ERROR_BODY_LIMIT);
    const envelope = parseErrorEnvelope(text);
    const headerId = header(response.headers, 'x-request-id');
    return createApiError({
      status: response.status,
      code: envelope?.error.code ?? codeForStatus(response.status),
      message: envelope?.error.message ?? `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      details: envelope?.error.details,
      requestId: envelope?.requestId ?? headerId ?? sentRequestId,
      retryAfterMs: parseRetryAfter(header(response.headers, 'retry-after')),
    });
  }
}

/** A new Idempotency-Key for one logical POST. */
export const newIdempotencyKey = (): string => randomUUID();

/** The first value of a response header. */
export function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as UTF-8 text, at most `limit` bytes (the rest is dropped with the connection). */
export async function readText(body: Readable, limit = Infinity): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`; an abort rejects with the caller's reason, as an abort mid-request does. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (error instanceof TransportError || error instanceof ApiError) error.attempts = attempts;
  return error;
}
