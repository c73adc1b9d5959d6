/**
 * Builders for the body of `POST /api/data` and `PUT /api/data/:id`.
 *
 * Plain objects, not DTO instances: the e2e suites send them as JSON exactly as a client would.
 */
export interface RecordBody {
  key: string;
  nested?: { field1: number; field2: string } | null;
  tags?: string[] | null;
  attributes?: Record<string, unknown> | null;
}

/** A valid body with every field set; `overrides` replace fields (set one to undefined to drop it). */
export function recordBody(overrides: Partial<RecordBody> = {}): RecordBody {
  const body: RecordBody = {
    key: 'test_value',
    nested: { field1: 123, field2: 'example' },
    tags: ['alpha', 'beta'],
    attributes: { colour: 'blue', size: 3, flags: { on: true } },
    ...overrides,
  };
  for (const name of Object.keys(body) as Array<keyof RecordBody>) {
    if (body[name] === undefined) delete body[name];
  }
  return body;
}

/** The smallest valid body: only the required `key`. */
export function minimalRecordBody(key = 'minimal'): RecordBody {
  return { key };
}

/** A JSON object nested `levels` deep, itself being level 1: `nestedObject(2)` is `{ "a": {} }`. */
export function nestedObject(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

/** `[[[...]]]` as JSON text, `levels` arrays deep, built without recursion. */
export function nestedArraysJson(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

/** `{"a":{"a":...}}` as JSON text, `levels` objects deep, built without recursion. */
export function nestedObjectsJson(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}
