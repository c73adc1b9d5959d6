import { rateLimitHeaders } from './rate-limit.headers.js';

describe('rateLimitHeaders', () => {
  it('reports the limit, what is left and when the window resets', () => {
    expect(rateLimitHeaders(5, { totalHits: 2, timeToExpire: 42, isBlocked: false, timeToBlockExpire: 0 })).toEqual({
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '3',
      'RateLimit-Reset': '42',
    });
  });

  it('reports 0 remaining on the last allowed request', () => {
    expect(rateLimitHeaders(5, { totalHits: 5, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 })['RateLimit-Remaining']).toBe('0');
  });

  it('adds Retry-After when refused, equal to the reset', () => {
    expect(rateLimitHeaders(5, { totalHits: 9, timeToExpire: 10, isBlocked: true, timeToBlockExpire: 7 })).toEqual({
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '7',
      'Retry-After': '7',
    });
  });

  it('never asks to retry after 0 seconds', () => {
    expect(rateLimitHeaders(5, { totalHits: 6, timeToExpire: 0, isBlocked: true, timeToBlockExpire: 0 })['Retry-After']).toBe('1');
  });
});
