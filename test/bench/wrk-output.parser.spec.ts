import { parseWrkOutput } from './wrk-output.parser.js';

// Captured from wrk 4.1.0 (Debian) with the bench's Lua script.
const CLEAN = `Running 1s test @ http://127.0.0.1:3932/x
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.95ms    4.66ms  46.52ms   91.65%
    Req/Sec    28.23k    20.91k   67.27k    72.73%
  Latency Distribution
     50%  169.00us
     75%    1.42ms
     90%    5.42ms
     99%   24.36ms
  30976 requests in 1.11s, 16.37MB read
Requests/sec:  27868.37
Transfer/sec:     14.72MB
BENCH unexpected=0 uncached=0
`;

const withFailures = (extra: string, script: string) =>
  CLEAN.replace('Requests/sec:', `${extra}Requests/sec:`).replace('BENCH unexpected=0 uncached=0', script);

describe('parseWrkOutput', () => {
  it('reads rate, request count and the p50/p99 in their units', () => {
    expect(parseWrkOutput(CLEAN)).toEqual({
      requestsPerSecond: 27868.37,
      p50Ms: 0.169,
      p99Ms: 24.36,
      requests: 30976,
      errors: 0,
      errorDetail: '',
      cacheMisses: 0,
    });
  });

  it('counts socket errors, non-2xx/3xx and unexpected statuses as errors, cache misses apart', () => {
    const output = withFailures(
      '  Socket errors: connect 0, read 2, write 0, timeout 3\n  Non-2xx or 3xx responses: 7\n',
      'BENCH unexpected=9 uncached=4',
    );
    const result = parseWrkOutput(output);
    // 7 non-2xx are among the 9 unexpected statuses: each failed response counts once.
    expect(result.errors).toBe(9 + 5);
    expect(result.cacheMisses).toBe(4);
    expect(result.errorDetail).toContain('7 non-2xx/3xx');
    expect(result.errorDetail).toContain('socket errors 0/2/0/3');
  });

  it('reads latencies given in seconds', () => {
    const slow = CLEAN.replace('99%   24.36ms', '99%    1.20s');
    expect(parseWrkOutput(slow).p99Ms).toBe(1200);
  });

  it('refuses output without a latency distribution rather than reporting zeros', () => {
    const bare = CLEAN.replace(/ {2}Latency Distribution[\s\S]*?99%[^\n]*\n/, '');
    expect(() => parseWrkOutput(bare)).toThrow(/latency/);
  });
});
