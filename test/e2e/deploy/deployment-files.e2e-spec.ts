import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { httpConfig } from '../../../src/config/index.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import {
  appEnvironmentVariables,
  DOCKER_DIR,
  dockerfileEnv,
  envExampleVariables,
  K8S_DIR,
  k8sManifests,
  readText,
  yamlDocuments,
  yamlFilesUnder,
} from './deployment-files.js';

// The deployment files are not run here (no container engine): these checks keep them naming
// the same ports, paths, variables and timings as the app they deploy.
const manifests = k8sManifests();
const deployment = manifests.get('Deployment')!;
const container = deployment.spec.template.spec.containers[0];
const configMap = manifests.get('ConfigMap')!.data as Record<string, string>;
const compose = yamlDocuments(join(DOCKER_DIR, 'compose.yml'))[0];
const gateway = readText('docker', 'nginx', 'gateway.conf');
const dockerfile = readText('docker', 'Dockerfile');
const defaults = httpConfig();
const seconds = (ms: number) => ms / 1000;

describe('deployment files', () => {
  it('are all valid YAML', () => {
    const files = yamlFilesUnder(DOCKER_DIR);
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) expect(() => yamlDocuments(file)).not.toThrow();
  });

  it('ship every Kubernetes object the deployment needs', () => {
    expect([...manifests.keys()].sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Kustomization', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceMonitor'].sort(),
    );
    const resources: string[] = manifests.get('Kustomization')!.resources;
    for (const resource of resources) expect(existsSync(join(K8S_DIR, resource))).toBe(true);
    // The Secret is an example with placeholders: never applied as is.
    expect(resources).not.toContain('secret.example.yaml');
  });

  it('name only variables the app reads, and .env.example lists every one of them', () => {
    const known = appEnvironmentVariables();
    expect(envExampleVariables()).toEqual(known);
    const secret = manifests.get('Secret')!.stringData as Record<string, string>;
    const named = [
      ...Object.keys(configMap),
      ...Object.keys(secret),
      ...Object.keys(compose['x-api-env']),
      ...dockerfileEnv(dockerfile, 'runtime').keys(),
    ];
    for (const name of named) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
  });

  it('agree on the port', () => {
    const port = Number(configMap.PORT);
    expect(dockerfileEnv(dockerfile, 'runtime').get('PORT')).toBe(String(port));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(container.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    const service = manifests.get('Service')!;
    expect(service.spec.ports[0]).toMatchObject({ name: 'http', targetPort: 'http' });
    expect(manifests.get('ServiceMonitor')!.spec.endpoints[0].port).toBe(service.spec.ports[0].name);
    expect(compose['x-api-env'].PORT).toBe(String(port));
    expect(compose.services.gateway.environment.API_UPSTREAM_SERVERS).toContain(`api:${port}`);
    const prometheus = yamlDocuments(join(DOCKER_DIR, 'prometheus', 'prometheus.yml'))[0];
    expect(prometheus.scrape_configs[0].dns_sd_configs[0].port).toBe(port);
  });

  it('leave room for the app to drain and exit on its own before a SIGKILL', () => {
    const spec = deployment.spec.template.spec;
    const preStopSleep = Number(container.lifecycle.preStop.exec.command[1]);
    const graceMs = Number(configMap.SHUTDOWN_GRACE_MS);
    expect(Number(configMap.SHUTDOWN_DRAIN_MS)).toBeLessThan(graceMs);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(preStopSleep + seconds(graceMs));
    expect(Number.parseInt(compose.services.api.stop_grace_period, 10)).toBeGreaterThan(seconds(Number(compose['x-api-env'].SHUTDOWN_GRACE_MS)));
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGTERM$/m);
    // Rollouts and disruptions never take capacity below N - 1.
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(manifests.get('PodDisruptionBudget')!.spec.maxUnavailable).toBe(1);
  });

  it('pair the gateway keep-alive with the app: nginx closes idle upstream sockets first', () => {
    const upstreamIdleS = Number(/keepalive_timeout (\d+)s;/.exec(gateway.slice(gateway.indexOf('upstream')))![1]);
    for (const keepAliveMs of [defaults.keepAliveTimeoutMs, Number(configMap.KEEP_ALIVE_TIMEOUT_MS), Number(compose['x-api-env'].KEEP_ALIVE_TIMEOUT_MS)]) {
      expect(upstreamIdleS).toBeLessThan(seconds(keepAliveMs));
    }
    const readTimeoutS = Number(/proxy_read_timeout (\d+)s;/.exec(gateway)![1]);
    expect(readTimeoutS).toBeGreaterThan(seconds(Number(configMap.REQUEST_TIMEOUT_MS)));
    expect(gateway).toMatch(/location \^~ \/metrics \{\s*return 404;/);
    expect(gateway).toContain('proxy_set_header X-Request-Id');
    expect(gateway).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for');
  });

  it('run the image as a non-root user with production dependencies only and no secrets', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(stages).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).not.toMatch(/JWT_|PASSWORD|SECRET=/);
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    for (const value of Object.values(manifests.get('Secret')!.stringData as Record<string, string>)) {
      expect(value.includes('REPLACE_ME') || value.startsWith('redis://')).toBe(true);
    }
  });

  it('keep uploaded files on storage every replica shares', () => {
    expect(manifests.get('PersistentVolumeClaim')!.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(container.volumeMounts).toContainEqual({ name: 'files', mountPath: configMap.UPLOAD_DIR });
    expect(compose.services.api.volumes).toContain(`files:${compose['x-api-env'].UPLOAD_DIR}`);
    expect(compose.services.api.deploy.replicas).toBe(3);
  });
});

describe('deployment files against the running app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('probe health routes that exist and answer 200 without a token', async () => {
    const probes = [container.readinessProbe, container.livenessProbe, container.startupProbe].map((probe) => probe.httpGet.path);
    const healthcheck = /HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile)![1];
    for (const path of new Set([...probes, healthcheck])) {
      expect({ path, status: (await t.app.inject({ method: 'GET', url: path })).statusCode }).toEqual({ path, status: 200 });
    }
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
  });

  it('scrape the metrics path the app serves', async () => {
    const path = manifests.get('ServiceMonitor')!.spec.endpoints[0].path;
    const prometheus = yamlDocuments(join(DOCKER_DIR, 'prometheus', 'prometheus.yml'))[0];
    expect(prometheus.scrape_configs[0].metrics_path).toBe(path);
    const res = await t.app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE http_requests_total counter');
  });
});
