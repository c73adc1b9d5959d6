import type { Deserialize, DeserializedData, Serialize } from 'keyv';

/**
 * How Keyv stores the cache's values: "<expires ms, or nothing>\n<value>" for a string value,
 * which every value of the cache is. Keyv's default wraps the value in JSON, escaping every quote
 * of an entry that is JSON itself, and parses it back on each hit; this costs a slice. Anything
 * else, and text written in Keyv's default format (it starts with '{'; this format never does),
 * is read and written as JSON, so entries and generations written by a replica of the previous
 * version are still understood during a rolling update.
 */
export const serializeEntry: Serialize = <Value>(data: DeserializedData<Value>) =>
  typeof data.value === 'string' ? `${data.expires ?? ''}\n${data.value}` : JSON.stringify(data);

export const deserializeEntry: Deserialize = <Value>(text: string): DeserializedData<Value> | undefined => {
  if (text.startsWith('{')) return JSON.parse(text) as DeserializedData<Value>;
  const split = text.indexOf('\n');
  if (split === -1) return undefined;
  const expires = split === 0 ? undefined : Number(text.slice(0, split));
  return { value: text.slice(split + 1) as Value, expires };
};

/** When a stored text expires (ms since the epoch), in either format; Infinity when it does not. */
export function storedExpiry(text: unknown): number {
  if (typeof text !== 'string') return Infinity;
  if (text.startsWith('{')) {
    // Keyv's default: `{"value":…,"expires":<ms>}`, no `expires` without a TTL.
    const at = text.lastIndexOf('"expires":');
    return at === -1 || !text.endsWith('}') ? Infinity : Number(text.slice(at + '"expires":'.length, -1));
  }
  const split = text.indexOf('\n');
  return split <= 0 ? Infinity : Number(text.slice(0, split));
}
