import { FORBIDDEN_KEYS } from './json-object-problem.js';

/**
 * The path of the first `__proto__`, `constructor` or `prototype` key anywhere in `value`, or
 * undefined. Iterative, so it is safe on input of any depth.
 */
export function forbiddenKeyPath(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    for (const key of Object.keys(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && FORBIDDEN_KEYS.has(key)) return childPath;
      stack.push([(current as Record<string, unknown>)[key], childPath]);
    }
  }
  return undefined;
}
