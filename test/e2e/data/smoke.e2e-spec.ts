import { testBackends } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { bearer } from '../../helpers/tokens.js';

describe.each(testBackends())('data smoke (%s)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ backend });
  });
  afterAll(() => t?.close());

  it('stores the article example', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: bearer(),
      payload: { key: 'test_value', nested: { field1: 123, field2: 'example' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.key).toBe('test_value');
  });
});
