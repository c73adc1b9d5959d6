import { request } from 'undici';

/** The app's `cache_requests_total` by result, read from its /metrics (zeros when absent). */
export async function cacheLookups(url: string): Promise<Record<'hit' | 'miss' | 'error', number>> {
  const response = await request(`${url}/metrics`);
  const text = await response.body.text();
  const count = (result: string) => Number(text.match(new RegExp(`^cache_requests_total\\{result="${result}"\\} (\\S+)`, 'm'))?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss'), error: count('error') };
}
