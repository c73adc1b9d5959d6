import type { ServerResponse } from 'node:http';
import { ndjsonLines, openNdjsonStream } from './ndjson-stream.js';

/** Batches from a list; a thrown Error entry fails that read. Records what was asked. */
function source(steps: Array<unknown[] | Error>) {
  const log = { reads: 0, returned: false };
  async function* batches(): AsyncGenerator<unknown[]> {
    try {
      for (const step of steps) {
        log.reads++;
        if (step instanceof Error) throw step;
        yield step;
      }
    } finally {
      log.returned = true;
    }
  }
  return { batches: batches(), log };
}

function fakeResponse() {
  return { headersSent: false, hasHeader: () => true, flushHeaders: jest.fn(), destroy: jest.fn() };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('ndjsonLines', () => {
  it('writes one JSON text per line, each ended by \\n', () => {
    expect(ndjsonLines([{ a: 1 }, 'x\ny', null])).toBe('{"a":1}\n"x\\ny"\nnull\n');
    expect(ndjsonLines([])).toBe('');
  });
});

describe('openNdjsonStream', () => {
  it('streams every batch as lines and ends the source', async () => {
    const { batches, log } = source([[1, 2], [], [3]]);
    const response = fakeResponse();
    const stream = await openNdjsonStream(batches, response as unknown as ServerResponse, jest.fn());
    expect(await readAll(stream)).toBe('1\n2\n3\n');
    expect(log.returned).toBe(true);
    expect(response.flushHeaders).toHaveBeenCalled();
  });

  it('rejects, so the caller can still answer with an error, when the first batch fails', async () => {
    const { batches } = source([new Error('down')]);
    const logBroken = jest.fn();
    await expect(openNdjsonStream(batches, fakeResponse() as unknown as ServerResponse, logBroken)).rejects.toThrow('down');
    expect(logBroken).not.toHaveBeenCalled();
  });

  it('logs and aborts the response when a later batch fails', async () => {
    const failure = new Error('lost');
    const { batches } = source([[1], failure, [2]]);
    const response = fakeResponse();
    const logBroken = jest.fn();
    const stream = await openNdjsonStream(batches, response as unknown as ServerResponse, logBroken);
    expect(await readAll(stream)).toBe('1\n');
    expect(logBroken).toHaveBeenCalledWith(failure);
    expect(response.destroy).toHaveBeenCalled();
  });

  it('reads ahead only a little, and stops reading the source when the stream is destroyed', async () => {
    // Each batch is larger than the read-ahead, so backpressure holds the reads back.
    const { batches, log } = source(Array.from({ length: 100 }, () => ['x'.repeat(100_000)]));
    const stream = await openNdjsonStream(batches, fakeResponse() as unknown as ServerResponse, jest.fn());
    await new Promise((resolve) => stream.once('readable', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.reads).toBeLessThan(4);
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.returned).toBe(true);
    expect(log.reads).toBeLessThan(4);
  });
});
