/** The path part of a request target, without the query string (which may carry secrets). */
export function requestPath(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
