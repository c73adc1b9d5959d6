import { LogCapture } from '../../../test/e2e/logging/log-capture.js';
import { REDACTED } from './redact-secrets.js';
import { createRootLogger, serializeError } from './root-logger.js';

describe('createRootLogger', () => {
  function logger(level: 'info' | 'warn' = 'info') {
    const out = new LogCapture();
    return { log: createRootLogger({ logLevel: level, nodeEnv: 'production' }, out), out };
  }

  it('writes one JSON object per line with a level name, an ISO time and the message', () => {
    const { log, out } = logger();
    log.info({ route: '/api/data' }, 'request completed');
    expect(out.lines).toHaveLength(1);
    const [line] = out.lines;
    expect(line).toMatchObject({ level: 'info', msg: 'request completed', route: '/api/data' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('honours the level', () => {
    const { log, out } = logger('warn');
    log.info('hidden');
    log.warn('shown');
    expect(out.lines.map((line) => line.msg)).toEqual(['shown']);
  });

  it('redacts secret-named fields in logged objects, at any depth', () => {
    const { log, out } = logger();
    log.child({ reqId: 'r-1' }).info({ apiKey: 'k-1', headers: { authorization: 'Bearer abc', 'set-cookie': 'a=b' }, body: { password: 'p' } }, 'x');
    expect(out.raw.join('')).not.toMatch(/k-1|Bearer abc|a=b|"p"/);
    expect(out.lines[0]).toMatchObject({ reqId: 'r-1', apiKey: REDACTED, headers: { authorization: REDACTED, 'set-cookie': REDACTED }, body: { password: REDACTED } });
  });

  it('serializes errors with type, message and stack, secret fields censored', () => {
    const error = Object.assign(new TypeError('boom'), { token: 'leak' });
    expect(serializeError(error)).toMatchObject({ type: 'TypeError', message: 'boom', stack: expect.stringMatching(/^TypeError: boom\n/), token: REDACTED });
    const { log, out } = logger();
    log.error({ err: error }, 'failed');
    expect(out.lines[0].err).toMatchObject({ type: 'TypeError', token: REDACTED });
  });
});
