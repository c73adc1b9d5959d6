import { nestLogLevels } from './nest-log-levels.js';

describe('nestLogLevels', () => {
  it('maps LOG_LEVEL thresholds onto Nest levels, most severe first', () => {
    expect(nestLogLevels('fatal')).toEqual(['fatal']);
    expect(nestLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('trace')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });

  it('turns logging off for silent', () => {
    expect(nestLogLevels('silent')).toBe(false);
  });
});
