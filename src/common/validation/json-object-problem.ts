import type { FieldProblem } from './located-problems.js';
import { isSafeText } from './safe-text.js';

export interface JsonObjectLimits {
  /** Largest `JSON.stringify` size, in UTF-8 bytes. */
  maxBytes: number;
  /** Most levels of nested objects/arrays, the object itself being level 1. */
  maxDepth: number;
}

/** Keys that rewrite prototypes when merged or copied by careless consumers downstream. */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function valueProblem(value: unknown, path: string): string | undefined {
  if (typeof value === 'string' && !isSafeText(value)) {
    return `${path} contains NUL characters or unpaired surrogates`;
  }
  // JSON.parse turns 1e400 into Infinity, which would be stored as null, and rounds integers
  // beyond 2^53 (12345678901234567890 → …7000): refuse rather than store a different number.
  // Interoperable JSON (I-JSON, RFC 7493 §2.2) sends such numbers as strings.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${path} is not a finite number`;
  if (typeof value === 'number' && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return `${path} is beyond ±(2^53-1) and would lose precision: send it as a string`;
  }
  return undefined;
}

/**
 * Why `value` is not an acceptable free-form JSON object, named by the path of the offending
 * value (`attributes.v.0`), or undefined when it is acceptable. The first problem found only:
 * a megabyte of NULs must not become a megabyte of details. Walks iteratively so depth is
 * checked before anything could recurse on it.
 */
export function jsonObjectProblem(value: unknown, limits: JsonObjectLimits, name: string): FieldProblem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { field: name, message: `${name} must be a JSON object` };
  const stack: Array<[unknown, number, string]> = [[value, 1, name]];
  while (stack.length > 0) {
    const [current, depth, path] = stack.pop()!;
    if (current === null || typeof current !== 'object') {
      const problem = valueProblem(current, path);
      if (problem) return { field: path, message: problem };
      continue;
    }
    if (depth > limits.maxDepth) {
      return { field: path, message: `${path} is nested ${depth} levels deep: ${name} must not nest deeper than ${limits.maxDepth} levels` };
    }
    for (const [key, child] of Object.entries(current)) {
      if (!Array.isArray(current)) {
        if (FORBIDDEN_KEYS.has(key)) return { field: `${path}.${key}`, message: `${path} must not contain the key "${key}"` };
        // Named by the object holding it: the key itself is not text a path should carry.
        if (!isSafeText(key)) return { field: path, message: `${path} has a key with NUL characters or unpaired surrogates` };
      }
      stack.push([child, depth + 1, `${path}.${key}`]);
    }
  }
  if (Buffer.byteLength(JSON.stringify(value)) > limits.maxBytes) {
    return { field: name, message: `${name} must not exceed ${limits.maxBytes} bytes when serialized` };
  }
  return undefined;
}
