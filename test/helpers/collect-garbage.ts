import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Full collections (a context created after --expose-gc is set gets `gc`), with a pause for
 * V8's concurrent sweeper, which frees ArrayBuffer memory after the collection returns.
 */
export async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 2; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Memory this process still holds after a collection: the JS heap plus ArrayBuffers. */
export async function liveBytes(): Promise<number> {
  await collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
