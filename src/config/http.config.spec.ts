import { ConfigError } from './env.reader.js';
import { httpConfig } from './http.config.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return httpConfig();
}

describe('httpConfig', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('CORS_ORIGINS', () => {
    it('is empty (CORS off) when unset', () => {
      expect(load({}).corsOrigins).toEqual([]);
    });

    it('reads comma-separated origins as browsers send them, spaces around commas ignored', () => {
      expect(load({ CORS_ORIGINS: 'https://app.example, http://localhost:5173,https://[::1]:8443' }).corsOrigins).toEqual([
        'https://app.example',
        'http://localhost:5173',
        'https://[::1]:8443',
      ]);
    });

    it.each([
      ['a bare word', 'notaurl'],
      ['a host without a scheme', 'app.example'],
      ['a trailing slash', 'https://app.example/'],
      ['a path', 'https://app.example/app'],
      ['a query', 'https://app.example?x=1'],
      ['upper case, which a browser never sends', 'https://App.example'],
      ['the default port, which a browser leaves out', 'https://app.example:443'],
      ['a scheme other than http or https', 'ftp://app.example'],
      ['the wildcard', '*'],
      ['credentials', 'https://user@app.example'],
    ])('refuses %s with a ConfigError naming the variable and the entry', (_label, entry) => {
      const env = { CORS_ORIGINS: `https://ok.example,${entry}` };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(/^CORS_ORIGINS must be a comma-separated list of origins /);
      expect(() => load(env)).toThrow(`(got "${entry}")`);
    });
  });
});
