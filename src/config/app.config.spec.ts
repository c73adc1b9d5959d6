import { appConfig } from './app.config.js';
import { ConfigError } from './env.reader.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return appConfig();
}

describe('appConfig', () => {
  afterEach(() => jest.restoreAllMocks());

  it('has development defaults', () => {
    expect(load({})).toEqual({
      nodeEnv: 'development',
      host: '0.0.0.0',
      port: 3000,
      bodyLimit: 1024 * 1024,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    expect(
      load({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '8080', BODY_LIMIT: '2048', LOG_LEVEL: 'debug' }),
    ).toEqual({ nodeEnv: 'production', host: '127.0.0.1', port: 8080, bodyLimit: 2048, logLevel: 'debug' });
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', '65536'],
    ['PORT', 'http'],
    ['BODY_LIMIT', '1023'],
    ['LOG_LEVEL', 'verbose'],
    ['HOST', 'localhost:80'],
    ['HOST', 'not a host!'],
    ['HOST', ' localhost'],
    ['HOST', '999.1.1.1'],
    ['HOST', '1234'],
    ['HOST', 'http://localhost'],
    ['HOST', '[::1]'],
    ['HOST', '[::1]:3000'],
    ['HOST', '-bad.example'],
    ['HOST', 'bad-.example'],
    ['HOST', 'a..example'],
    ['HOST', `${'a'.repeat(64)}.example`],
  ])('refuses %s=%p with a ConfigError naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });

  it.each(['0.0.0.0', '127.0.0.1', '::', '::1', 'fe80::1', 'localhost', 'api-1.internal.example', 'service.', 'host-2', '10.0.0.1'])(
    'accepts HOST=%p',
    (host) => {
      expect(load({ HOST: host }).host).toBe(host);
    },
  );
});
