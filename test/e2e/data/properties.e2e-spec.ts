import fc from 'fast-check';
import { testBackends } from '../../setup/backends.js';
import { detailFor, expectError, uniqueSub, useDataSuite } from './data-api.helper.js';

const NUM_RUNS = 100;

/** Characters that break naive handling, mixed into otherwise random code points. */
const HOSTILE_CHARACTERS = ['\u0000', '\ud800', '\udfff', ' ', '\u2028', '\ufeff', '\ufe0e', '\ufe0f', '❤\ufe0f', '"', '\\', '😀', '测'];
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const MAX_ATTRIBUTES_DEPTH = 8;

/**
 * One character: any code point, or one of the hostile ones. Variation selectors are among them:
 * the length rules count code points, as this oracle does, and validator.js' isLength did not.
 */
const character = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_CHARACTERS) },
);

const safeText = (value: string) => value.isWellFormed() && !value.includes('\u0000');

/**
 * Short keys, and keys around the 256-character limit: any, and made only of text PostgreSQL
 * can store, so that the length rule alone decides (a long random key nearly always holds a NUL
 * or a lone surrogate, refused whatever its length).
 */
const recordKey = fc.oneof(
  fc.string({ unit: character, maxLength: 20 }),
  fc.string({ unit: character, minLength: 250, maxLength: 262 }),
  fc.string({ unit: character.filter(safeText), minLength: 250, maxLength: 262 }),
);

const text = fc.string({ unit: character, maxLength: 10 });
const objectKey = fc.oneof({ weight: 12, arbitrary: text }, { weight: 1, arbitrary: fc.constantFrom(...FORBIDDEN_KEYS) });

const { object: jsonObject } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    text,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(objectKey, tie('value'), { maxKeys: 4, noNullPrototype: true }),
}));

function keyAcceptable(key: string): boolean {
  const length = [...key].length;
  return length >= 1 && length <= 256 && safeText(key);
}

/** The contract for attributes, stated independently of the implementation. */
function attributesAcceptable(attributes: Record<string, unknown>): boolean {
  const stack: Array<[unknown, number]> = [[attributes, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && !safeText(value)) return false;
    // Numbers must survive as sent: finite and no larger than JavaScript integers stay exact.
    if (typeof value === 'number' && !(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) return false;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_ATTRIBUTES_DEPTH) return false;
    for (const [key, child] of Object.entries(value)) {
      if (!Array.isArray(value) && (FORBIDDEN_KEYS.includes(key) || !safeText(key))) return false;
      stack.push([child, depth + 1]);
    }
  }
  return Buffer.byteLength(JSON.stringify(attributes)) <= 32 * 1024;
}

type Body = { key?: unknown; nested?: { field1?: unknown; field2?: unknown } | null; tags?: unknown; attributes?: unknown };

/** Where a random value goes in a body, how to read it back, and the empty value a `null` there reads back as. */
const FIELDS: Array<[string, (value: unknown) => Body, (record: Body) => unknown, unknown]> = [
  ['key', (value) => ({ key: value }), (record) => record.key, undefined],
  ['nested', (value) => ({ key: 'k', nested: value as Body['nested'] }), (record) => record.nested, null],
  ['nested.field1', (value) => ({ key: 'k', nested: { field1: value, field2: 'x' } }), (record) => record.nested?.field1, undefined],
  ['nested.field2', (value) => ({ key: 'k', nested: { field1: 1, field2: value } }), (record) => record.nested?.field2, undefined],
  ['tags', (value) => ({ key: 'k', tags: value }), (record) => record.tags, []],
  ['attributes', (value) => ({ key: 'k', attributes: value }), (record) => record.attributes, {}],
];

/** Any JSON value, or a string of hostile characters, or an array of such strings (tags). */
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: character, maxLength: 40 }), fc.array(text, { maxLength: 4 }));

describe.each(testBackends())('data properties (%s)', (backend) => {
  const suite = useDataSuite(backend);

  it(`any string as key: 201 and read back byte-exact when acceptable, else 400 naming key (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(recordKey, async (key) => {
        const caller = { sub: uniqueSub('prop-key') };
        const res = await suite.api.post(caller, { key });
        expect([201, 400]).toContain(res.statusCode);
        if (keyAcceptable(key)) {
          expect(res.statusCode).toBe(201);
          expect(res.json().data.key).toBe(key);
          expect((await suite.api.read(caller, res.json().data.id)).key).toBe(key);
        } else {
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(detailFor(res, 'key')).toBeDefined();
          expect(await suite.api.count(caller)).toBe(0);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`any JSON value in any body field: 201 and read back as sent, or 400, never anything else (${NUM_RUNS * 2} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELDS), anyValue, async ([, place, readBack, emptyValue], value) => {
        const caller = { sub: uniqueSub('prop-field') };
        const sent = JSON.stringify(place(value));
        const res = await suite.api.postRaw(caller, sent, { 'content-type': 'application/json' });
        expect([201, 400]).toContain(res.statusCode);
        if (res.statusCode === 400) {
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(await suite.api.count(caller)).toBe(0);
          return;
        }
        // What JSON.parse makes of the sent text is what must come back, serialized the same way.
        const parsed = readBack(JSON.parse(sent) as Body);
        const expected = JSON.stringify(parsed === null && emptyValue !== undefined ? emptyValue : parsed);
        expect(JSON.stringify(readBack(res.json().data))).toBe(expected);
        expect(JSON.stringify(readBack((await suite.api.read(caller, res.json().data.id)) as Body))).toBe(expected);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it(`any strings as list query parameters: 200 or 400, never anything else (${NUM_RUNS} runs)`, async () => {
    const parameter = fc.option(fc.string({ unit: character, maxLength: 30 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.record({ limit: parameter, cursor: parameter, key: parameter }), async (query) => {
        const params = new URLSearchParams();
        for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
        const res = await suite.api.list({ sub: uniqueSub('prop-query') }, params.toString());
        expect([200, 400]).toContain(res.statusCode);
        if (res.statusCode === 400) expectError(res, 400, 'VALIDATION_FAILED');
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`any JSON object as attributes: 201 and read back equal, in the same key order, when acceptable, else 400 (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(jsonObject, async (attributes) => {
        const caller = { sub: uniqueSub('prop-attributes') };
        const sent = JSON.stringify({ key: 'prop', attributes });
        const res = await suite.api.postRaw(caller, sent, { 'content-type': 'application/json' });
        expect([201, 400]).toContain(res.statusCode);
        if (attributesAcceptable(attributes)) {
          expect(res.statusCode).toBe(201);
          const expected = JSON.stringify(JSON.parse(sent).attributes);
          expect(JSON.stringify(res.json().data.attributes)).toBe(expected);
          expect(JSON.stringify((await suite.api.read(caller, res.json().data.id)).attributes)).toBe(expected);
        } else {
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(await suite.api.count(caller)).toBe(0);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
