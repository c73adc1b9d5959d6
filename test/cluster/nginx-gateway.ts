import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acceptsConnections, ROOT } from '../helpers/server-process.js';

export const GATEWAY_TEMPLATE = join(ROOT, 'docker', 'nginx', 'gateway.conf');

/**
 * Fills in the template's `${NAME}` placeholders the way the nginx image's envsubst step does:
 * only the names given, so nginx's own `$variables` stay as they are.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

/** The smallest main config around the http-context template, writing only under `dir`. */
function mainConfig(dir: string): string {
  return `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/gateway.conf;
}
`;
}

export interface Gateway {
  url: string;
  /** nginx's error log so far: why it answered 502 or moved on to another replica. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

/** nginx (Debian's nginx-light) on 127.0.0.1:`port`, proxying to the given upstream ports. */
export async function startGateway(dir: string, port: number, upstreamPorts: number[]): Promise<Gateway> {
  await mkdir(dir, { recursive: true });
  const servers = upstreamPorts.map((upstream) => `server 127.0.0.1:${upstream} max_fails=1 fail_timeout=2s;`).join(' ');
  const gatewayConf = renderTemplate(await readFile(GATEWAY_TEMPLATE, 'utf8'), {
    GATEWAY_PORT: `127.0.0.1:${port}`,
    API_UPSTREAM_SERVERS: servers,
  });
  await writeFile(join(dir, 'gateway.conf'), gatewayConf);
  // Run as the user running the test: the worker must be able to write the temp paths above.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  await writeFile(join(dir, 'nginx.conf'), user + mainConfig(dir));
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (let attempt = 0; attempt < 100 && !(await acceptsConnections(port)); attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await acceptsConnections(port))) throw new Error(`nginx did not listen on ${port}: ${stderr}`);
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}
