import { metricNamesIn, ruleExpressions } from './promql-names.js';

describe('metricNamesIn', () => {
  it.each([
    ['sum by (route) (rate(http_requests_total{job="data-api"}[$__rate_interval]))', ['http_requests_total']],
    [
      'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="x", route=~"/api/.*"}[5m]))) > 0.5',
      ['http_request_duration_seconds_bucket'],
    ],
    ['sum(rate(a_total{status_code=~"5.."}[5m])) / on(job) group_left sum(rate(b_total[5m])) > 1e3', ['a_total', 'b_total']],
    ['up{job="data-api"} == 0 unless ignoring(instance) other_metric offset 5m', ['up', 'other_metric']],
  ])('finds the metrics of %s', (expr, names) => {
    expect([...metricNamesIn(expr)].sort()).toEqual([...names].sort());
  });
});

describe('ruleExpressions', () => {
  it('reads plain and block expressions', () => {
    const yaml = ['rules:', '  - alert: A', '    expr: up == 0', '    for: 1m', '  - alert: B', '    expr: |', '      sum(x)', '        > 1', '    for: 5m'].join('\n');
    expect(ruleExpressions(yaml)).toEqual(['up == 0', '      sum(x)\n        > 1']);
  });
});
