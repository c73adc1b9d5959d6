import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A parsed YAML document. Its shape is what the tests assert, so it is read without a schema.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type YamlDocument = Record<string, any>;

export const ROOT = join(__dirname, '..', '..', '..');
export const DOCKER_DIR = join(ROOT, 'docker');
export const K8S_DIR = join(DOCKER_DIR, 'k8s');

export const readText = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8');

/** Every document of a YAML file; throws on the first syntax error, naming the file. */
export function yamlDocuments(path: string): YamlDocument[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
  }
  return docs.map((doc) => doc.toJS() as YamlDocument).filter((doc) => doc !== null);
}

export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

/** The Kubernetes manifests by kind (one object of each kind here). */
export function k8sManifests(): Map<string, YamlDocument> {
  const byKind = new Map<string, YamlDocument>();
  for (const file of yamlFilesUnder(K8S_DIR)) {
    for (const doc of yamlDocuments(file)) byKind.set(doc.kind, doc);
  }
  return byKind;
}

/**
 * Every environment variable the app reads: the config namespaces read them only through the
 * `read*(env, 'NAME', …)` helpers of env.reader.ts, so their sources name them all.
 */
export function appEnvironmentVariables(): Set<string> {
  const dir = join(ROOT, 'src', 'config');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))) {
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/read[A-Za-z]*\(env, '([A-Z0-9_]+)'/g)) names.add(match[1]);
  }
  return names;
}

export function envExampleVariables(): Set<string> {
  return new Set([...readText('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]));
}

/** `[key, value]` of a Dockerfile's ENV lines (`ENV A=1 \` continuation form). */
export function dockerfileEnv(dockerfile: string, stage: string): Map<string, string> {
  const stageText = dockerfile.split(/^FROM /m).find((part) => part.includes(` AS ${stage}`)) ?? '';
  const env = new Map<string, string>();
  for (const block of stageText.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)) {
    for (const pair of block[1].matchAll(/([A-Z0-9_]+)=(\S+)/g)) env.set(pair[1], pair[2]);
  }
  return env;
}
