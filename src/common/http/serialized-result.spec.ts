import { serializedSuccessEnvelope, successEnvelope } from '../../core/http/envelope.js';
import { SerializedResult } from './serialized-result.js';

const record = { id: 'a', key: 'quote " backslash \\ newline \n ü \u2028', nested: null, tags: ['x'], attributes: { n: -0, big: 1e21 } };
const page = { limit: 20, nextCursor: null };

/** The envelope with its timestamp fixed, so two renderings can be compared byte for byte. */
const withoutTimestamp = (json: string) => json.replace(/"timestamp":"[^"]+"/, '"timestamp":"T"');

describe('SerializedResult', () => {
  it('gives the same envelope bytes as serializing the result object', () => {
    expect(withoutTimestamp(serializedSuccessEnvelope(SerializedResult.of(record), 'req-"1"'))).toBe(
      withoutTimestamp(JSON.stringify(successEnvelope(record, 'req-"1"'))),
    );
    expect(withoutTimestamp(serializedSuccessEnvelope(SerializedResult.of([record], page), 'r'))).toBe(
      withoutTimestamp(JSON.stringify(successEnvelope([record], 'r', page))),
    );
    expect(withoutTimestamp(serializedSuccessEnvelope(SerializedResult.of(undefined), 'r'))).toBe(
      withoutTimestamp(JSON.stringify(successEnvelope(null, 'r'))),
    );
  });

  it('serializes as the bare result where no envelope applies', () => {
    expect(JSON.stringify(SerializedResult.of(record))).toBe(JSON.stringify(record));
    expect(JSON.parse(JSON.stringify(SerializedResult.of([record], page)))).toEqual({ items: [JSON.parse(JSON.stringify(record))], info: page });
  });
});
