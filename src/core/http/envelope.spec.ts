import { errorEnvelope, successEnvelope } from './envelope.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('successEnvelope', () => {
  it('carries data, an ISO timestamp and the request id, without page', () => {
    const envelope = successEnvelope({ a: 1 }, 'req-1');
    expect(envelope).toEqual({ status: 'success', data: { a: 1 }, timestamp: expect.stringMatching(ISO), requestId: 'req-1' });
    expect(envelope).not.toHaveProperty('page');
  });

  it('adds page info for lists', () => {
    expect(successEnvelope([1], 'req-2', { limit: 1, nextCursor: null })).toEqual({
      status: 'success',
      data: [1],
      page: { limit: 1, nextCursor: null },
      timestamp: expect.stringMatching(ISO),
      requestId: 'req-2',
    });
  });
});

describe('errorEnvelope', () => {
  it('carries the error, an ISO timestamp, the request id and the path', () => {
    const error = { code: 'NOT_FOUND' as const, message: 'Record not found' };
    expect(errorEnvelope(error, 'req-3', '/api/data/1')).toEqual({
      status: 'error',
      error,
      timestamp: expect.stringMatching(ISO),
      requestId: 'req-3',
      path: '/api/data/1',
    });
  });
});
