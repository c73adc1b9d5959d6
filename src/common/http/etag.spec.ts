import { ifMatchHits, ifNoneMatchHits, versionEtag } from './etag.js';

describe('versionEtag', () => {
  it('is the version as a strong, quoted tag', () => {
    expect(versionEtag(3)).toBe('"3"');
    expect(versionEtag(1)).not.toBe(versionEtag(11));
  });
});

describe('ifNoneMatchHits (weak comparison)', () => {
  const etag = versionEtag(3);

  it.each([
    ['the same strong tag', '"3"'],
    ['the weak form of the tag', 'W/"3"'],
    ['the tag in a list', '"1", "2", "3"'],
    ['the weak tag in a list without spaces', '"1",W/"3"'],
    ['the tag with surrounding whitespace', '  "3"  '],
    ['*', '*'],
    ['* in a list', '"9", *'],
  ])('hits for %s', (_name, header) => {
    expect(ifNoneMatchHits(header, etag)).toBe(true);
  });

  it('matches a weak current tag against a strong one', () => {
    expect(ifNoneMatchHits('"3"', 'W/"3"')).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['only commas', ' , ,'],
    ['another tag', '"4"'],
    ['a tag that only shares a prefix', '"33"'],
    ['an unquoted version', '3'],
    ['other tags in a list', '"1", W/"2"'],
  ])('misses for %s', (_name, header) => {
    expect(ifNoneMatchHits(header, etag)).toBe(false);
  });
});

describe('ifMatchHits (strong comparison)', () => {
  const etag = versionEtag(3);

  it.each([
    ['the same tag', '"3"'],
    ['the tag in a list', '"1", "3"'],
    ['the tag with whitespace', ' "3" '],
    ['*', '*'],
  ])('hits for %s', (_name, header) => {
    expect(ifMatchHits(header, etag)).toBe(true);
  });

  it.each([
    ['the weak form of the tag', 'W/"3"'],
    ['the weak form in a list', '"1", W/"3"'],
    ['another tag', '"2"'],
    ['an unquoted version', '3'],
    ['an empty header', ''],
  ])('misses for %s', (_name, header) => {
    expect(ifMatchHits(header, etag)).toBe(false);
  });

  it('never matches a weak current tag', () => {
    expect(ifMatchHits('W/"3"', 'W/"3"')).toBe(false);
  });
});
