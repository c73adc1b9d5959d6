import { requestPath } from './request-path.js';

describe('requestPath', () => {
  it.each([
    ['/api/data', '/api/data'],
    ['/api/data?limit=5', '/api/data'],
    ['/api/data?access_token=secret?x=1', '/api/data'],
    ['/api/data?', '/api/data'],
    ['/?x', '/'],
    ['/api/data/%3F', '/api/data/%3F'],
  ])('%s → %s', (url, path) => {
    expect(requestPath(url)).toBe(path);
  });
});
