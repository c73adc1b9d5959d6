import { contentMismatch, isTextType, Utf8Check } from './content-sniffing.js';

const hex = (value: string) => Buffer.from(value, 'hex');
const EXE = Buffer.concat([hex('4d5a90000300000004000000ffff0000'), Buffer.alloc(48, 0), Buffer.from('PE\0\0')]);
const PNG = Buffer.concat([hex('89504e470d0a1a0a0000000d49484452'), Buffer.alloc(16)]);

describe('contentMismatch', () => {
  it.each([
    ['application/pdf', Buffer.from('%PDF-1.4\n')],
    ['image/png', PNG],
    ['image/jpeg', hex('ffd8ffe000104a464946')],
    ['image/gif', Buffer.from('GIF87a....')],
    ['image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])],
    ['application/zip', Buffer.from('PK\x03\x04rest', 'latin1')],
    ['application/zip', Buffer.from('PK\x05\x06', 'latin1')],
    ['text/plain', Buffer.from('hello')],
    ['text/plain', Buffer.from('<?xml version="1.0"?><a/>')],
    ['text/csv', Buffer.from('a,b\n1,2\n')],
    ['application/json', Buffer.from('{"a":1}')],
    ['text/plain', Buffer.alloc(0)],
  ])('accepts %s whose bytes fit', async (type, head) => {
    expect(await contentMismatch(type, head)).toBeUndefined();
  });

  it.each([
    ['an executable as image/png', 'image/png', EXE],
    ['a PNG as application/pdf', 'application/pdf', PNG],
    ['an empty file as image/png', 'image/png', Buffer.alloc(0)],
    ['RIFF that is not WEBP', 'image/webp', Buffer.from('RIFF\0\0\0\0WAVEfmt ')],
    ['an executable as text/plain', 'text/plain', EXE],
    ['a PNG as application/json', 'application/json', PNG],
  ])('refuses %s', async (_name, type, head) => {
    expect(await contentMismatch(type, head)).toEqual(expect.any(String));
  });

  it('refuses a recognised format declared as another type without a signature of its own', async () => {
    expect(await contentMismatch('audio/mpeg', PNG)).toBe('the file content is image/png, not audio/mpeg');
    expect(await contentMismatch('application/octet-stream', Buffer.from('anything'))).toBeUndefined();
  });
});

describe('isTextType', () => {
  it('covers text/*, JSON and +json', () => {
    expect(['text/plain', 'text/csv', 'application/json', 'application/ld+json'].every(isTextType)).toBe(true);
    expect(['image/png', 'application/pdf', 'application/zip'].some(isTextType)).toBe(false);
  });
});

describe('Utf8Check', () => {
  it('accepts a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('Zoë 😀');
    const check = new Utf8Check();
    for (let i = 0; i < bytes.length; i++) expect(check.push(bytes.subarray(i, i + 1))).toBe(true);
    expect(check.end()).toBe(true);
  });

  it('refuses invalid bytes as soon as they arrive', () => {
    const check = new Utf8Check();
    expect(check.push(Buffer.from('ok'))).toBe(true);
    expect(check.push(hex('c328'))).toBe(false);
    expect(check.end()).toBe(false);
  });

  it('refuses a sequence cut off at the end', () => {
    const check = new Utf8Check();
    expect(check.push(hex('f09f98'))).toBe(true);
    expect(check.end()).toBe(false);
  });
});
