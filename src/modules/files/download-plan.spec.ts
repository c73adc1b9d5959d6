import { AppError } from '../../core/errors/index.js';
import { planDownload } from './download-plan.js';

describe('planDownload', () => {
  const etag = '"abc"';

  it('answers If-None-Match with not-modified before looking at Range', () => {
    expect(planDownload(etag, 10, { ifNoneMatch: 'W/"abc"', range: 'bytes=50-' })).toEqual({ kind: 'not-modified' });
    expect(planDownload(etag, 10, { ifNoneMatch: '"other"' })).toEqual({ kind: 'whole' });
  });

  it('honours Range while If-Range names the current ETag', () => {
    expect(planDownload(etag, 10, { range: 'bytes=2-3', ifRange: '"abc"' })).toEqual({ kind: 'partial', start: 2, end: 3 });
  });

  it.each([['another tag', '"old"'], ['the weak tag', 'W/"abc"'], ['a date', 'Wed, 21 Oct 2015 07:28:00 GMT']])(
    'sends the whole file when If-Range is %s',
    (_name, ifRange) => {
      expect(planDownload(etag, 10, { range: 'bytes=2-3', ifRange })).toEqual({ kind: 'whole' });
    },
  );

  it('throws RANGE_NOT_SATISFIABLE with the size in Content-Range', () => {
    expect.assertions(2);
    try {
      planDownload(etag, 10, { range: 'bytes=10-' });
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE', status: 416, headers: { 'Content-Range': 'bytes */10' } });
    }
  });
});
