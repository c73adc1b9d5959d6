/** What one load-generator run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx/3xx responses, socket errors and timeouts, and responses with another status than expected. */
  errors: number;
  /**
   * Responses of a cached scenario without `X-Cache: HIT` (the server went to the database).
   * Not an error: a measured fact about the server under load, reported beside the errors.
   */
  cacheMisses: number;
  /** Human-readable breakdown of `errors` when there are any. */
  errorDetail: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const match = text.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!match) throw new Error(`unreadable wrk duration "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

function percentile(output: string, label: string): number {
  const match = output.match(new RegExp(`^\\s+${label}%\\s+(\\S+)`, 'm'));
  if (!match) throw new Error(`wrk printed no ${label}% latency (was --latency given?)`);
  return durationMs(match[1]);
}

/**
 * Reads wrk's text report (with `--latency`) and the `BENCH unexpected=… uncached=…` line the
 * bench's Lua script prints from `done()`.
 */
export function parseWrkOutput(output: string): LoadResult {
  const requests = output.match(/^\s+(\d+) requests in /m);
  const rate = output.match(/^Requests\/sec:\s+([\d.]+)/m);
  if (!requests || !rate) throw new Error(`unreadable wrk output:\n${output}`);
  const socket = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).map(Number).reduce((sum, count) => sum + count, 0) : 0;
  const non2xx = Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const script = output.match(/^BENCH unexpected=(\d+) uncached=(\d+)/m);
  const unexpected = Number(script?.[1] ?? 0);
  const uncached = Number(script?.[2] ?? 0);
  const parts = [
    non2xx && `${non2xx} non-2xx/3xx`,
    socketErrors && `socket errors ${socket!.slice(1).join('/')} (connect/read/write/timeout)`,
    unexpected && `${unexpected} with another status than expected`,
  ].filter(Boolean);
  return {
    requestsPerSecond: Number(rate[1]),
    p50Ms: percentile(output, '50'),
    p99Ms: percentile(output, '99'),
    requests: Number(requests[1]),
    // A non-2xx response is also an unexpected status: count each failed response once.
    errors: Math.max(non2xx, unexpected) + socketErrors,
    errorDetail: parts.join(', '),
    cacheMisses: uncached,
  };
}
