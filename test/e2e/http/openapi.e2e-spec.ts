import { Validator } from '@seriousme/openapi-schema-validator';
import { ERROR_CATALOGUE } from '../../../src/core/errors/index.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';

type Operation = {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { $ref: string }; examples?: Record<string, { value: unknown }> }> };
};
type Spec = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, Record<string, unknown>> };
};

// Every data route: its scope, and the statuses its handler, guard and pipes can answer with.
const DATA_ROUTES: Array<[string, string, string, string[]]> = [
  ['post', '/api/data', 'data:write', ['201', '400', '401', '403', '409', '413', '415', '422', '429', '500', '503']],
  ['get', '/api/data', 'data:read', ['200', '400', '401', '403', '429', '500', '503']],
  ['get', '/api/data/{id}', 'data:read', ['200', '304', '401', '403', '404', '429', '500', '503']],
  ['put', '/api/data/{id}', 'data:write', ['200', '400', '401', '403', '404', '412', '413', '415', '429', '500', '503']],
  ['delete', '/api/data/{id}', 'data:write', ['204', '401', '403', '404', '429', '500', '503']],
];

describe('OpenAPI document and UI', () => {
  let testApp: TestApp;
  let spec: Spec;

  beforeAll(async () => {
    testApp = await createTestApp();
    const res = await testApp.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    spec = res.json() as Spec;
  });
  afterAll(() => testApp?.close());

  it('serves a document that a real OpenAPI 3.1 validator accepts, without a token', async () => {
    expect(spec.openapi).toBe('3.1.0');
    const result = await new Validator().validate(spec);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('uses a validator that does reject a broken document', async () => {
    const broken = structuredClone(spec) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths['/api/data'].get.responses = 'none';
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('serves the swagger UI at /docs without a token, with a CSP that lets it load', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('swagger-ui-bundle.js');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');

    const assets = ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js'];
    for (const url of assets) {
      const asset = await testApp.app.inject({ method: 'GET', url });
      expect({ url, status: asset.statusCode }).toEqual({ url, status: 200 });
    }
  });

  it('keeps the API itself on a CSP that allows nothing', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/data' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it('generates the ErrorCode enum from the catalogue', () => {
    expect(spec.components.schemas.ErrorCode.enum).toEqual(Object.keys(ERROR_CATALOGUE));
  });

  it('declares the bearer JWT scheme', () => {
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it.each(DATA_ROUTES)('documents %s %s with its scope and every status it answers', (method, path, scope, statuses) => {
    const operation = spec.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.security).toEqual([{ bearer: [scope] }]);
    expect(Object.keys(operation.responses).sort()).toEqual([...statuses].sort());
    for (const status of statuses.filter((s) => Number(s) >= 400)) {
      const schema = JSON.stringify(operation.responses[status].content?.['application/json']?.schema);
      expect({ status, schema }).toEqual({ status, schema: expect.stringContaining('#/components/schemas/ErrorEnvelope') });
    }
  });

  it('documents the rate limit on every bearer operation: 429 with Retry-After, RateLimit headers on success', () => {
    type Response = { headers?: Record<string, unknown> };
    const rateLimitHeaders = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        const responses = operation.responses as Record<string, Response>;
        if (!operation.security?.length) {
          expect({ where, has429: '429' in responses }).toEqual({ where, has429: false });
          continue;
        }
        expect({ where, headers: Object.keys(responses['429']?.headers ?? {}) }).toEqual({
          where,
          headers: expect.arrayContaining(['Retry-After', ...rateLimitHeaders]),
        });
        for (const status of Object.keys(responses).filter((s) => s.startsWith('2'))) {
          expect({ where, status, headers: Object.keys(responses[status].headers ?? {}) }).toEqual({
            where,
            status,
            headers: expect.arrayContaining(rateLimitHeaders),
          });
        }
      }
    }
    expect(spec.paths['/health/ready']).toBeDefined();
  });

  it('documents each error response with codes of its own status only', () => {
    for (const [method, path] of DATA_ROUTES) {
      for (const [status, response] of Object.entries(spec.paths[path][method].responses)) {
        if (Number(status) < 400) continue;
        const schema = response.content!['application/json'].schema as { allOf: Array<Record<string, unknown>> };
        const codes = (schema.allOf[1] as { properties: { error: { properties: { code: { enum: string[] } } } } }).properties.error.properties
          .code.enum;
        for (const code of codes) expect(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].status).toBe(Number(status));
      }
    }
  });

  it('wraps records in the success envelope, and lists in the list envelope with page', () => {
    const created = JSON.stringify(spec.paths['/api/data'].post.responses['201'].content);
    expect(created).toContain('#/components/schemas/SuccessEnvelope');
    expect(created).toContain('#/components/schemas/DataRecordDto');
    const listed = JSON.stringify(spec.paths['/api/data'].get.responses['200'].content);
    expect(listed).toContain('#/components/schemas/ListEnvelope');
    expect(spec.components.schemas.ListEnvelope).toMatchObject({ properties: { page: { $ref: '#/components/schemas/PageInfo' } } });
  });

  it('describes the request body with the DTO rules and the article example', () => {
    const body = spec.paths['/api/data'].post.requestBody!.content['application/json'];
    expect(body.schema.$ref).toBe('#/components/schemas/RecordBodyDto');
    expect(body.examples?.article.value).toEqual({ key: 'test_value', nested: { field1: 123, field2: 'example' } });
    const { RecordBodyDto: record, NestedDto: nested } = spec.components.schemas;
    expect(record).toMatchObject({
      required: ['key'],
      additionalProperties: false,
      properties: {
        key: { type: 'string', minLength: 1, maxLength: 256 },
        tags: { maxItems: 32, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
      },
    });
    expect(nested).toMatchObject({
      required: ['field1', 'field2'],
      additionalProperties: false,
      properties: {
        field1: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
        field2: { type: 'string', maxLength: 1024 },
      },
    });
  });

  it('documents query parameters, conditional request headers and response headers', () => {
    const params = (path: string, method: string) => (spec.paths[path][method].parameters ?? []).map((p) => `${p.in}:${p.name}`);
    expect(params('/api/data', 'get')).toEqual(expect.arrayContaining(['query:limit', 'query:cursor', 'query:key', 'header:X-Request-Id']));
    expect(params('/api/data/{id}', 'get')).toEqual(expect.arrayContaining(['path:id', 'header:If-None-Match']));
    expect(params('/api/data/{id}', 'put')).toEqual(expect.arrayContaining(['path:id', 'header:If-Match']));
    const created = spec.paths['/api/data'].post.responses['201'] as { headers?: Record<string, unknown> };
    expect(Object.keys(created.headers ?? {})).toEqual(expect.arrayContaining(['Location', 'ETag', 'X-Request-Id']));
  });
});
