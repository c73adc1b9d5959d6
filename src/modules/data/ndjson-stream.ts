import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** The media type of an NDJSON body (one JSON text per line). */
export const NDJSON_TYPE = 'application/x-ndjson';
export const NDJSON_CONTENT_TYPE = `${NDJSON_TYPE}; charset=utf-8`;

// What the stream reads ahead of the client: past this, it waits until the client (or the
// compressor, or the socket) has taken what was read, so memory does not grow with the export.
const READ_AHEAD_BYTES = 64 * 1024;

/** Each item as one line of JSON, every line (the last included) ended by `\n`. */
export function ndjsonLines(items: readonly unknown[]): string {
  let text = '';
  for (const item of items) text += `${JSON.stringify(item)}\n`;
  return text;
}

/**
 * Sends the status line and headers now. A compressor may hold the first lines back for a
 * while; without this, a failure in that window would reach Fastify's error handling as if
 * nothing had been sent, and the client would get no response at all instead of a visibly
 * cut-short one. Only once Fastify has copied its headers onto the response (Content-Type).
 */
function commitHead(response: ServerResponse): void {
  if (!response.headersSent && response.hasHeader('content-type')) response.flushHeaders();
}

async function* lines(
  first: IteratorResult<readonly unknown[]>,
  batches: AsyncIterator<readonly unknown[]>,
  response: ServerResponse,
  logBroken: (error: unknown) => void,
): AsyncGenerator<string> {
  try {
    for (let step = first; !step.done; step = await batches.next()) {
      if (step.value.length > 0) yield ndjsonLines(step.value);
      commitHead(response);
    }
  } catch (error) {
    logBroken(error);
    // The status has gone out, so the only honest signal left is an aborted transfer: no
    // terminating chunk, so no client can take the body for a complete export. The stream
    // itself then just ends, with nothing left to deliver to.
    response.destroy();
  } finally {
    // Reached on a normal end, a failure, and when the consumer is destroyed (client gone):
    // the batch source stops there instead of reading on.
    await batches.return?.();
  }
}

/**
 * An NDJSON body for `response` over batches read only as the consumer asks for more
 * (backpressure), so memory stays flat whatever the size and the first line goes out before
 * the last batch is read.
 *
 * The first batch is read before this resolves: if that fails the promise rejects and the
 * request still gets its error envelope. A later failure can no longer change the status:
 * `logBroken` hears of it and the response is aborted (see `lines`).
 */
export async function openNdjsonStream(
  batches: AsyncIterator<readonly unknown[]>,
  response: ServerResponse,
  logBroken: (error: unknown) => void,
): Promise<Readable> {
  const first = await batches.next();
  return Readable.from(lines(first, batches, response, logBroken), { objectMode: false, highWaterMark: READ_AHEAD_BYTES });
}
