const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);

/**
 * Metric names a PromQL expression selects. Enough for the expressions in this repository:
 * strings, label matchers, ranges and grouping clauses are removed, function calls skipped.
 */
export function metricNamesIn(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\()?)/g)) {
    const [token, call] = [match[0], match[1]];
    if (call || KEYWORDS.has(token) || /^(?:Inf|NaN)$/i.test(token)) continue;
    const before = stripped[match.index - 1];
    if (before !== undefined && /[0-9.$]/.test(before)) continue; // 1e3, $__rate_interval
    names.add(token);
  }
  return names;
}

/** The `expr:` values of a Prometheus rule file (plain and `|` block scalars). */
export function ruleExpressions(yaml: string): string[] {
  const expressions: string[] = [];
  const lines = yaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(?:- )?expr:\s*(.*)$/.exec(lines[i]);
    if (!match) continue;
    if (!match[2].startsWith('|') && !match[2].startsWith('>')) {
      expressions.push(match[2]);
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || indent(lines[i + 1]) > match[1].length)) block.push(lines[++i]);
    expressions.push(block.join('\n'));
  }
  return expressions;
}

const indent = (line: string) => line.length - line.trimStart().length;
