import { encodeMultipart } from './multipart.encoder.js';

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}
async function read(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('encodeMultipart', () => {
  const file = { field: 'file', filename: 'a "b"\r\n.txt', contentType: 'text/plain', size: 5, content: () => bytes('hello') };

  it('frames the fields first, then the file, with escaped names and an exact Content-Length', async () => {
    const form = encodeMultipart([['description', 'été']], file);
    const boundary = /boundary=(.+)$/.exec(form.contentType)![1];
    const body = await read(form.stream());
    expect(body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nété\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22%0D%0A.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n` +
        `--${boundary}--\r\n`,
    );
    expect(form.contentLength).toBe(Buffer.byteLength(body));
  });

  it('has no Content-Length when the size is unknown', () => {
    expect(encodeMultipart([], { ...file, size: undefined }).contentLength).toBeUndefined();
  });

  it('reads the file again for each stream (a retry resends every byte)', async () => {
    const form = encodeMultipart([], file);
    expect(await read(form.stream())).toBe(await read(form.stream()));
  });

  it('refuses a content type that would inject headers', () => {
    expect(() => encodeMultipart([], { ...file, contentType: 'text/plain\r\nX-Evil: 1' })).toThrow(TypeError);
  });
});
