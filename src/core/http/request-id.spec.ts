import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function requestWith(value?: string | string[]): IncomingMessage {
  return { headers: value === undefined ? {} : { [REQUEST_ID_HEADER]: value } } as unknown as IncomingMessage;
}

describe('requestIdFor', () => {
  it('uses the lower-case x-request-id header', () => {
    expect(REQUEST_ID_HEADER).toBe('x-request-id');
  });

  it.each([
    'abc',
    '0f8fad5b-d9cb-469f-a165-70867728950e',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'gw:1.2_3-4',
    'a'.repeat(128),
  ])('echoes the valid id %s', (id) => {
    expect(requestIdFor(requestWith(id))).toBe(id);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['an id longer than 128 characters', 'a'.repeat(129)],
    ['an id with a space', 'a b'],
    ['an id with CR LF', 'abc\r\nSet-Cookie: x=1'],
    ['an id with a quote', 'abc"'],
    ['an id with non-ASCII', 'abcé'],
    ['a repeated header', ['abc', 'def']],
  ])('generates a UUID for %s', (_name, value) => {
    const id = requestIdFor(requestWith(value));
    expect(id).toMatch(UUID);
  });

  it('generates a different id each time', () => {
    expect(requestIdFor(requestWith())).not.toBe(requestIdFor(requestWith()));
  });
});
