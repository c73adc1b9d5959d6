import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

/**
 * TEST_REDIS_URL, for the suites that need a Redis: absent on a developer machine the suite is
 * skipped; absent in CI it is a failure, never a silent skip.
 */
export function testRedisUrl(): string | undefined {
  const url = process.env.TEST_REDIS_URL;
  if (process.env.CI && !url) throw new Error('CI is set but TEST_REDIS_URL is not: the Redis rate-limit suites cannot run');
  return url;
}

/** `describe` that runs only with TEST_REDIS_URL (see testRedisUrl). */
export function describeWithRedis(name: string, body: (url: string) => void): void {
  const url = testRedisUrl();
  if (url) describe(name, () => body(url));
  else describe.skip(name, () => body('redis://unset'));
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(500, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** A throwaway redis-server on a free loopback port, for fault tests: stop it, pause it. */
export class OwnRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.launch();
    return redis;
  }

  /** Starts it again on the same port after stop(), empty, as a restarted server comes back. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  private async launch(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.process = child;
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await answersPing(this.port)) return;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop();
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Hangs it: connections stay open, nothing is answered. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}
