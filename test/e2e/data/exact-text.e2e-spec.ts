import { testBackends } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { bearer } from '../../helpers/tokens.js';

// Text that drivers or decoders like to "clean up" must come back exactly as sent.
describe.each(testBackends())('exact text round trip (%s)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ backend });
  });
  afterAll(() => t?.close());

  it.each([
    ['a leading byte order mark', '\uFEFF'],
    ['a leading BOM before text', '\uFEFFkey'],
    ['surrounding whitespace', '  padded\t\n'],
    ['combining sequences left unnormalized', 'e\u0301'],
  ])('keeps %s in key and owner', async (_name, text) => {
    const headers = bearer({ sub: `${text}-owner` });
    const created = await t.app.inject({ method: 'POST', url: '/api/data', headers, payload: { key: text } });
    expect(created.statusCode).toBe(201);
    expect(created.json().data).toMatchObject({ key: text, owner: `${text}-owner` });

    const read = await t.app.inject({ method: 'GET', url: `/api/data/${created.json().data.id}`, headers });
    expect(read.json().data).toMatchObject({ key: text, owner: `${text}-owner` });

    const listed = await t.app.inject({ method: 'GET', url: `/api/data?key=${encodeURIComponent(text)}`, headers });
    expect(listed.json().data.map((record: { key: string }) => record.key)).toEqual([text]);
  });
});
