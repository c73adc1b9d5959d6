import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { metricNamesIn, ruleExpressions } from './promql-names.js';
import { parseSamples } from './prometheus-text.js';

const DOCKER = join(__dirname, '../../../docker');

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

const panelsOf = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...panelsOf(p.panels ?? [])]);

// The dashboard and the alert rules name metrics as strings: a renamed metric would leave them
// silently empty. Compare their names with what a running app actually exports.
describe('Grafana dashboard and alert rules against /metrics', () => {
  let t: TestApp;
  let exported: Set<string>;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.inject({ method: 'POST', url: '/api/data', payload: '{"key":"dash"}', headers: { ...bearer(), 'content-type': 'application/json' } });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    exported = new Set(parseSamples(text).map((s) => s.name));
  });
  afterAll(() => t?.close());

  const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana/dashboards/data-api.json'), 'utf8')) as { uid: string; panels: Panel[] };
  const panels = panelsOf(dashboard.panels).filter((p) => p.type !== 'row');

  it('has the panels operators look for', () => {
    const titles = panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const topic of ['request rate', 'error rate', 'p50', 'p95', 'p99', 'cache hit ratio', 'in-flight', 'event-loop lag']) {
      expect(titles).toContain(topic);
    }
  });

  it.each(panels.map((p) => [p.title, p] as const))('panel "%s" queries only metrics the app exports', (_title, panel) => {
    expect(panel.targets?.length).toBeGreaterThan(0);
    for (const { expr } of panel.targets ?? []) {
      const names = [...metricNamesIn(expr)];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect({ expr, name, exported: exported.has(name) }).toEqual({ expr, name, exported: true });
    }
  });

  it('alert rules query only metrics the app exports (and Prometheus\'s own up)', () => {
    const expressions = ruleExpressions(readFileSync(join(DOCKER, 'prometheus/alerts.yml'), 'utf8'));
    expect(expressions).toHaveLength(6);
    for (const expr of expressions) {
      for (const name of metricNamesIn(expr)) {
        expect({ expr, name, exported: name === 'up' || exported.has(name) }).toEqual({ expr, name, exported: true });
      }
    }
  });
});
