import { ConnectionError } from './client.errors.js';
import { readNdjson } from './ndjson.reader.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}
const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

describe('readNdjson', () => {
  it('yields one value per line, whatever the chunking', async () => {
    expect(await collect(readNdjson(chunks('{"a":1}\n{"a"', ':2}\n', '{"a":3}\n')))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('{"k":"é€😀"}\n');
    expect(await collect(readNdjson(chunks(bytes.subarray(0, 8), bytes.subarray(8, 11), bytes.subarray(11))))).toEqual([{ k: 'é€😀' }]);
  });

  it('treats a stream that ends mid-line as truncated', async () => {
    await expect(collect(readNdjson(chunks('{"a":1}\n{"a":')))).rejects.toBeInstanceOf(ConnectionError);
  });

  it('refuses a line that is not JSON', async () => {
    await expect(collect(readNdjson(chunks('<html>\n')))).rejects.toThrow(/Invalid JSON line/);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await collect(readNdjson(chunks()))).toEqual([]);
  });
});
