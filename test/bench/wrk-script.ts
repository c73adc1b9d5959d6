/** One request shape for the load generator. */
export interface RequestShape {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Every response must have this status. */
  expectStatus: number;
  /** Every response must carry `X-Cache: HIT`. */
  expectCacheHit: boolean;
}

const lua = (text: string) => JSON.stringify(text); // a JSON string is a valid Lua string literal for this ASCII input

/**
 * The wrk Lua script for a request shape. `response()` checks each status (and X-Cache) and
 * `done()` prints the totals over every thread as one `BENCH …` line for the parser.
 */
export function wrkScript(shape: RequestShape): string {
  const headers = Object.entries(shape.headers)
    .map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`)
    .join('\n');
  return `
wrk.method = ${lua(shape.method)}
${shape.body === undefined ? '' : `wrk.body = ${lua(shape.body)}`}
${headers}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) unexpected = 0; uncached = 0 end
function response(status, headers, body)
  if status ~= ${shape.expectStatus} then unexpected = unexpected + 1 end
  ${
    shape.expectCacheHit
      ? `local hit = false
  for name, value in pairs(headers) do
    if string.lower(name) == "x-cache" and value == "HIT" then hit = true end
  end
  if not hit then uncached = uncached + 1 end`
      : ''
  }
end
function done(summary, latency, requests)
  local u, c = 0, 0
  for _, thread in ipairs(threads) do u = u + thread:get("unexpected"); c = c + thread:get("uncached") end
  io.write(string.format("BENCH unexpected=%d uncached=%d\\n", u, c))
end
`;
}
