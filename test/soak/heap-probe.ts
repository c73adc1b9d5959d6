import type { ServerProcess } from '../helpers/server-process.js';
import { waitForOutput } from '../helpers/server-process.js';

/**
 * Full garbage collections on demand in a child started with `--inspect=127.0.0.1:0`, through
 * the inspector protocol (HeapProfiler.collectGarbage): the app exposes nothing new, and heap
 * figures read from /metrics right after are post-GC levels, not points on the sawtooth.
 */
export class HeapProbe {
  private nextId = 1;
  private readonly pending = new Map<number, () => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const { id } = JSON.parse(String(event.data)) as { id?: number };
      if (id !== undefined) this.pending.get(id)?.();
    });
  }

  static async attach(server: ServerProcess): Promise<HeapProbe> {
    const [url] = await waitForOutput(server, /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/);
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    return new HeapProbe(socket);
  }

  collectGarbage(): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, () => {
        this.pending.delete(id);
        resolve();
      });
      this.socket.send(JSON.stringify({ id, method: 'HeapProfiler.collectGarbage' }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
