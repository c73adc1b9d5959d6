import { testBackends } from '../../setup/backends.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { expectError, expectSuccess, JSON_TYPE, uniqueSub, useDataSuite } from './data-api.helper.js';

const BODY_LIMIT = 4096;

/** A valid body serialized to exactly `bytes` bytes, padded through attributes. */
function bodyOfBytes(bytes: number): string {
  const empty = JSON.stringify({ key: 'limit', attributes: { pad: '' } });
  const text = JSON.stringify({ key: 'limit', attributes: { pad: 'p'.repeat(bytes - empty.length) } });
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe.each(testBackends())('data body limit (%s)', (backend) => {
  const suite = useDataSuite(backend, { bodyLimit: BODY_LIMIT });
  const json = { 'content-type': JSON_TYPE };

  it('accepts a body of exactly BODY_LIMIT bytes', async () => {
    const caller = { sub: uniqueSub() };
    expectSuccess(await suite.api.postRaw(caller, bodyOfBytes(BODY_LIMIT), json), 201);
    expect(await suite.api.count(caller)).toBe(1);
  });

  it.each([
    ['one byte over', BODY_LIMIT + 1],
    ['far over', BODY_LIMIT * 64],
  ])('POST %s BODY_LIMIT answers 413 PAYLOAD_TOO_LARGE and stores nothing', async (_name, bytes) => {
    const caller = { sub: uniqueSub() };
    const res = await suite.api.postRaw(caller, bodyOfBytes(bytes), json);
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await suite.api.count(caller)).toBe(0);
  });

  it('counts bytes, not characters: 1366 three-byte characters exceed 4096 bytes', async () => {
    const caller = { sub: uniqueSub() };
    const payload = JSON.stringify({ key: 'k', attributes: { t: '测'.repeat(1366) } });
    expect(payload.length).toBeLessThan(BODY_LIMIT);
    const res = await suite.api.postRaw(caller, payload, json);
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await suite.api.count(caller)).toBe(0);
  });

  it('PUT over BODY_LIMIT answers 413 and leaves the record unchanged', async () => {
    const caller = { sub: uniqueSub() };
    const created = await suite.api.create(caller, recordBody());
    const res = await suite.api.putRaw(caller, created.id, bodyOfBytes(BODY_LIMIT + 1), json);
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await suite.api.read(caller, created.id)).toEqual(created);
  });

  it('an oversized body that is not even JSON is still a 413, checked before parsing', async () => {
    const caller = { sub: uniqueSub() };
    const res = await suite.api.postRaw(caller, '{'.repeat(BODY_LIMIT + 1), json);
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});
