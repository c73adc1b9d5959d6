import type { DestinationStream } from 'pino';

export type LogLine = Record<string, unknown> & { level: string; msg?: string; reqId?: string };

/** A pino destination that keeps every line, raw and parsed, for assertions. */
export class LogCapture implements DestinationStream {
  readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
  }

  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  /** Everything written, as one string: for "never appears anywhere" checks. */
  get text(): string {
    return this.raw.join('');
  }

  accessLines(): LogLine[] {
    return this.lines.filter((line) => line.msg === 'request completed');
  }

  forRequest(reqId: string): LogLine[] {
    return this.lines.filter((line) => line.reqId === reqId);
  }

  clear(): void {
    this.raw.length = 0;
  }
}
