import { ConfigError, readEnum, readInt, readString, readUrl } from './env.reader.js';

const RANGE = { min: 1, max: 100 };

describe('readString', () => {
  it('returns the value, or the fallback when unset, empty or blank', () => {
    expect(readString({ NAME: 'value' }, 'NAME', 'fallback')).toBe('value');
    expect(readString({}, 'NAME', 'fallback')).toBe('fallback');
    expect(readString({ NAME: '' }, 'NAME', 'fallback')).toBe('fallback');
    expect(readString({ NAME: '   ' }, 'NAME')).toBeUndefined();
  });
});

describe('readInt', () => {
  it('parses decimal digits, trimming surrounding whitespace', () => {
    expect(readInt({ N: '42' }, 'N', 7, RANGE)).toBe(42);
    expect(readInt({ N: ' 42 ' }, 'N', 7, RANGE)).toBe(42);
  });

  it('returns the fallback when unset or blank', () => {
    expect(readInt({}, 'N', 7, RANGE)).toBe(7);
    expect(readInt({ N: ' ' }, 'N', 7, RANGE)).toBe(7);
  });

  it('accepts both bounds', () => {
    expect(readInt({ N: '1' }, 'N', 7, RANGE)).toBe(1);
    expect(readInt({ N: '100' }, 'N', 7, RANGE)).toBe(100);
  });

  it.each(['0', '101', '-1'])('refuses %p outside the range, naming the variable', (value) => {
    expect(() => readInt({ MY_INT: value }, 'MY_INT', 7, RANGE)).toThrow(ConfigError);
    expect(() => readInt({ MY_INT: value }, 'MY_INT', 7, RANGE)).toThrow(/MY_INT must be an integer between 1 and 100/);
  });

  it.each(['abc', '1e2', '0x10', '12abc', '4.5', '+5', '1 2', 'NaN', 'Infinity'])('refuses garbage %p', (value) => {
    expect(() => readInt({ MY_INT: value }, 'MY_INT', 7, RANGE)).toThrow(ConfigError);
    expect(() => readInt({ MY_INT: value }, 'MY_INT', 7, RANGE)).toThrow(/MY_INT/);
  });

  it('refuses integers beyond Number.MAX_SAFE_INTEGER even when the range would allow them', () => {
    expect(() => readInt({ BIG: '9007199254740993' }, 'BIG', 7, { min: 0, max: Number.MAX_VALUE })).toThrow(/BIG/);
  });
});

describe('readEnum', () => {
  const LEVELS = ['low', 'high'] as const;

  it('returns an allowed value, or the fallback when unset', () => {
    expect(readEnum({ LEVEL: 'high' }, 'LEVEL', LEVELS, 'low')).toBe('high');
    expect(readEnum({}, 'LEVEL', LEVELS, 'low')).toBe('low');
  });

  it.each(['medium', 'HIGH', ' high'])('refuses %p, naming the variable and the allowed values', (value) => {
    expect(() => readEnum({ LEVEL: value }, 'LEVEL', LEVELS, 'low')).toThrow(ConfigError);
    expect(() => readEnum({ LEVEL: value }, 'LEVEL', LEVELS, 'low')).toThrow(/LEVEL must be one of low, high/);
  });
});

describe('readUrl', () => {
  const PROTOCOLS = ['https:', 'http:'];

  it('returns a URL with an allowed protocol, undefined when unset', () => {
    expect(readUrl({ U: 'https://idp.example/jwks.json' }, 'U', PROTOCOLS)?.href).toBe('https://idp.example/jwks.json');
    expect(readUrl({ U: 'http://127.0.0.1:8080/keys' }, 'U', PROTOCOLS)).toBeInstanceOf(URL);
    expect(readUrl({}, 'U', PROTOCOLS)).toBeUndefined();
  });

  it.each(['ftp://idp.example/jwks', 'file:///etc/passwd', 'javascript:alert(1)'])('refuses the protocol of %p', (value) => {
    expect(() => readUrl({ JWKS: value }, 'JWKS', PROTOCOLS)).toThrow(ConfigError);
    expect(() => readUrl({ JWKS: value }, 'JWKS', PROTOCOLS)).toThrow(/JWKS must use https: or http:/);
  });

  it.each(['not a url', 'idp.example/jwks', '//idp.example'])('refuses the unparsable %p, naming the variable', (value) => {
    expect(() => readUrl({ JWKS: value }, 'JWKS', PROTOCOLS)).toThrow(ConfigError);
    expect(() => readUrl({ JWKS: value }, 'JWKS', PROTOCOLS)).toThrow(/JWKS must be a URL/);
  });
});

describe('ConfigError', () => {
  it('is an Error named ConfigError', () => {
    const error = new ConfigError('X must be set');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
  });
});
