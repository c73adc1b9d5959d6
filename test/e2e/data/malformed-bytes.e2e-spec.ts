import fc from 'fast-check';
import { testBackends } from '../../setup/backends.js';
import { expectError, JSON_TYPE, uniqueSub, useDataSuite } from './data-api.helper.js';

const NUM_RUNS = 300;

/** Bytes that matter to a JSON parser or a UTF-8 decoder, mixed into the random ones. */
const SIGNIFICANT_BYTES = [
  ...Buffer.from('{}[],:"\\\'/ \t\n\r-+.eE0nulltruefalse'),
  0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
];
const someByte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...SIGNIFICANT_BYTES));

/** A body the service accepts, as text: the starting point of every mutation. */
const validBody = fc
  .record({
    key: fc.string({ minLength: 1, maxLength: 12 }),
    nested: fc.option(fc.record({ field1: fc.integer(), field2: fc.string({ maxLength: 8 }) }), { nil: undefined }),
    tags: fc.option(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 3 }), { nil: undefined }),
    attributes: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), {
      nil: undefined,
    }),
  })
  .map((body) => Buffer.from(JSON.stringify(body), 'utf8'));

type Mutation = (bytes: Buffer) => Buffer;
const at = (bytes: Buffer, position: number) => (bytes.length === 0 ? 0 : position % (bytes.length + 1));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), someByte).map(([p, b]): Mutation => (s) => Buffer.concat([s.subarray(0, at(s, p)), Buffer.of(b), s.subarray(at(s, p))])),
  fc.tuple(fc.nat(), someByte).map(([p, b]): Mutation => (s) => Buffer.concat([s.subarray(0, at(s, p)), Buffer.of(b), s.subarray(at(s, p) + 1)])),
  fc.nat().map((p): Mutation => (s) => Buffer.concat([s.subarray(0, at(s, p)), s.subarray(at(s, p) + 1)])),
  fc.nat().map((p): Mutation => (s) => s.subarray(0, at(s, p))),
  fc.tuple(fc.nat(), fc.nat({ max: 16 })).map(([p, n]): Mutation => (s) => Buffer.concat([s.subarray(0, at(s, p) + n), s.subarray(at(s, p))])),
);

/** The reference: what RFC 8259 with strict UTF-8 makes of the bytes (a BOM is dropped, as the service does). */
function referenceParse(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

// A generated corpus of malformed bodies in the spirit of JSONTestSuite's n_* files: valid record
// bodies with bytes inserted, replaced, deleted, truncated or repeated. The bodies JSON.parse
// refuses must all be 400 MALFORMED_JSON; the others 201 or 400 VALIDATION_FAILED; none stored
// unless 201, and never a 5xx.
describe.each(testBackends())('malformed request bodies, generated (%s)', (backend) => {
  const suite = useDataSuite(backend);

  it(`mutated bodies: 400 MALFORMED_JSON exactly when not JSON, nothing stored unless 201 (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(validBody, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (body, mutations) => {
        const bytes = mutations.reduce<Buffer>((current, mutate) => mutate(current), body);
        const caller = { sub: uniqueSub('malformed') };
        const res = await suite.api.postRaw(caller, bytes, { 'content-type': JSON_TYPE });
        const reference = referenceParse(bytes);
        if (!reference.ok) {
          expectError(res, 400, 'MALFORMED_JSON');
        } else {
          expect([201, 400]).toContain(res.statusCode);
          if (res.statusCode === 400) expectError(res, 400, 'VALIDATION_FAILED');
        }
        expect(await suite.api.count(caller)).toBe(res.statusCode === 201 ? 1 : 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
