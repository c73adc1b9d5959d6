/**
 * A handler result already serialized: the JSON of its data and, for a list, of its page info.
 * The envelope interceptor splices the text into the envelope instead of serializing a body
 * again: cache hits are stored as JSON and sent without a parse and a stringify per request.
 * The bytes are those JSON.stringify gives for the same envelope.
 */
export class SerializedResult {
  constructor(
    readonly dataJson: string,
    readonly pageJson?: string,
  ) {}

  /** From a result and its page info as a handler returned them. */
  static of(data: unknown, page?: object): SerializedResult {
    return new SerializedResult(JSON.stringify(data ?? null), page === undefined ? undefined : JSON.stringify(page));
  }

  /**
   * Without the envelope (a `@SkipEnvelope()` handler), this serializes as the handler's own
   * result did: its data, or a Page's items and info.
   */
  toJSON(): unknown {
    const data: unknown = JSON.parse(this.dataJson);
    return this.pageJson === undefined ? data : { items: data, info: JSON.parse(this.pageJson) as unknown };
  }
}
