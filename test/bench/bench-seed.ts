import { request } from 'undici';
import { ARTICLE_BODY } from './bench-scenarios.js';

const headers = (token: string) => ({ authorization: `Bearer ${token}` });

/** Creates `count` records through the API (16 at a time) and returns their ids. */
export async function seedRecords(url: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const response = await request(`${url}/api/data`, {
        method: 'POST',
        headers: { ...headers(token), 'content-type': 'application/json' },
        body: ARTICLE_BODY,
      });
      const text = await response.body.text();
      if (response.statusCode !== 201) throw new Error(`seeding ${url}: POST answered ${response.statusCode}: ${text.slice(0, 300)}`);
      ids.push((JSON.parse(text) as { data: { id: string } }).data.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, count) }, worker));
  return ids;
}

/**
 * Reads `path` until it is served from the cache (the first read fills it), so a measured run
 * starts warm. Fails when the server never reports a hit.
 */
export async function primeCache(url: string, path: string, token: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await request(url + path, { headers: headers(token) });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`priming ${url}${path}: ${response.statusCode}`);
    if (response.headers['x-cache'] === 'HIT') return;
  }
  throw new Error(`priming ${url}${path}: never answered X-Cache: HIT`);
}

/** Whether the server has the export route (404 while it is not built yet). */
export async function hasExport(url: string, token: string): Promise<boolean> {
  const response = await request(`${url}/api/data/export`, { headers: headers(token) });
  await response.body.dump();
  return response.statusCode === 200;
}
