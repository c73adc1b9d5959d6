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
  ])('refuses %s=%p with a ConfigError naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
