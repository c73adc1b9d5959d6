import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

type Operation = {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
};

describe('OpenAPI document: GET /api/data/export', () => {
  let testApp: TestApp;
  let spec: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    testApp = await createTestApp();
    const res = await testApp.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    spec = res.json();
  });
  afterAll(() => testApp?.close());

  it('stays a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents the route with its scope, its query parameters and every status it answers', () => {
    const operation = spec.paths['/api/data/export']?.get;
    expect(operation).toBeDefined();
    expect(operation.security).toEqual([{ bearer: ['data:read'] }]);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '429', '500', '503']);
    expect((operation.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort()).toEqual(['header:X-Request-Id', 'query:key', 'query:since']);
  });

  it('produces NDJSON lines of DataRecordDto on 200, and the JSON error envelope otherwise', () => {
    const { responses } = spec.paths['/api/data/export'].get;
    expect(responses['200'].content).toEqual({
      'application/x-ndjson': { schema: { $ref: '#/components/schemas/DataRecordDto' } },
    });
    expect(Object.keys(responses['200'].headers ?? {})).toContain('X-Request-Id');
    for (const status of ['400', '500', '503']) {
      expect(JSON.stringify(responses[status].content?.['application/json']?.schema)).toContain('#/components/schemas/ErrorEnvelope');
    }
  });
});
