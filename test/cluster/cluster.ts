import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { type ServerProcess, startServer, waitForHttpOk } from '../helpers/server-process.js';
import { TEST_JWT_SECRET } from '../helpers/tokens.js';
import { requireTestRedisUrl } from '../setup/backends.js';
import { createIsolatedSchema, type IsolatedSchema } from '../setup/isolated-schema.js';
import { type Gateway, startGateway } from './nginx-gateway.js';

export interface ClusterSettings {
  replicas: number;
  /** Per caller per window, shared by every replica through Redis. */
  rateLimitMax: number;
  shutdownDrainMs: number;
}

export interface Replica {
  index: number;
  port: number;
  url: string;
  server: ServerProcess;
  /** Restarts of this slot so far (a replacement reuses the port the gateway knows). */
  generation: number;
}

/**
 * N replicas of the built app (`dist/main.js`) on loopback ports, sharing one PostgreSQL schema,
 * one Redis and one upload directory, behind nginx rendered from docker/nginx/gateway.conf:
 * the compose topology as local processes.
 */
export class Cluster {
  readonly replicas: Replica[] = [];
  private gateway?: Gateway;

  private constructor(
    private readonly settings: ClusterSettings,
    private readonly schema: IsolatedSchema,
    private readonly workDir: string,
  ) {}

  get gatewayUrl(): string {
    return this.gateway!.url;
  }

  gatewayErrorLog(): Promise<string> {
    return this.gateway!.errorLog();
  }

  static async start(settings: ClusterSettings): Promise<Cluster> {
    const schema = await createIsolatedSchema();
    const cluster = new Cluster(settings, schema, await mkdtemp(join(tmpdir(), 'data-api-cluster-')));
    try {
      const ports = await Promise.all(Array.from({ length: settings.replicas }, () => freePort()));
      // One at a time: the first runs the migrations, the others find them done.
      for (const [index, port] of ports.entries()) cluster.replicas.push(await cluster.startReplica(index, port, 0));
      cluster.gateway = await startGateway(join(cluster.workDir, 'nginx'), await freePort(), ports);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  private env(port: number): Record<string, string> {
    return {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: this.schema.url,
      REDIS_URL: requireTestRedisUrl(),
      UPLOAD_DIR: join(this.workDir, 'files'),
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_MAX: String(this.settings.rateLimitMax),
      SHUTDOWN_DRAIN_MS: String(this.settings.shutdownDrainMs),
      SHUTDOWN_GRACE_MS: '15000',
    };
  }

  private async startReplica(index: number, port: number, generation: number): Promise<Replica> {
    const server = startServer(this.env(port));
    const url = `http://127.0.0.1:${port}`;
    // Replicas log at `warn`: no "listening" line to wait for.
    await waitForHttpOk(server, `${url}/health/ready`);
    return { index, port, url, server, generation };
  }

  /** SIGTERM: the replica drains and exits 0; resolves with its exit code and how long it took. */
  async terminate(index: number): Promise<{ exit: number | string; ms: number }> {
    const started = Date.now();
    const replica = this.replicas[index];
    replica.server.child.kill('SIGTERM');
    const exit = await replica.server.exited;
    return { exit, ms: Date.now() - started };
  }

  /** SIGKILL: no drain, requests in flight on it fail. */
  async kill(index: number): Promise<void> {
    const replica = this.replicas[index];
    replica.server.child.kill('SIGKILL');
    await replica.server.exited;
  }

  /** A new process in the slot of a stopped one, on the same port the gateway routes to. */
  async replace(index: number): Promise<Replica> {
    const old = this.replicas[index];
    const replica = await this.startReplica(index, old.port, old.generation + 1);
    this.replicas[index] = replica;
    return replica;
  }

  async stop(): Promise<void> {
    await this.gateway?.stop();
    for (const replica of this.replicas) {
      const { child } = replica.server;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await replica.server.exited;
      }
    }
    await this.schema.drop();
    await rm(this.workDir, { recursive: true, force: true });
  }
}
