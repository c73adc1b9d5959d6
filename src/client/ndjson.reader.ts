import { StringDecoder } from 'node:string_decoder';
import { ConnectionError } from './client.errors.js';

/** A line longer than this is no record of ours: stop instead of buffering without bound. */
const MAX_LINE_CHARS = 8 * 1024 * 1024;

/**
 * Parses an NDJSON byte stream line by line, holding only the current partial line, so memory
 * stays flat whatever the stream's length. A stream that ends inside a line was cut off: that
 * is an error, never a silently short result.
 */
export async function* readNdjson<T>(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<T> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  for await (const chunk of chunks) {
    partial += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let newline = partial.indexOf('\n'); newline !== -1; newline = partial.indexOf('\n', start)) {
      const line = partial.slice(start, newline);
      start = newline + 1;
      if (line.trim() !== '') yield parseLine<T>(line);
    }
    partial = partial.slice(start);
    if (partial.length > MAX_LINE_CHARS) throw new ConnectionError(`NDJSON line longer than ${MAX_LINE_CHARS} characters`);
  }
  partial += decoder.end();
  if (partial.trim() !== '') throw new ConnectionError('The NDJSON stream ended in the middle of a line (response truncated)');
}

function parseLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new ConnectionError('Invalid JSON line in the NDJSON stream', { cause: error });
  }
}
