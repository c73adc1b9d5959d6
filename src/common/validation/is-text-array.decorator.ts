import type { ValidationOptions } from 'class-validator';
import { type FieldProblem, ValidateByProblems } from './located-problems.js';
import { isSafeText } from './safe-text.js';
import { hasTextLength, textLengthMessage } from './text-length.js';

export interface TextArrayLimits {
  maxItems: number;
  /** Characters (code points) of each item. */
  minLength: number;
  maxLength: number;
}

/** What is wrong with one item on its own, or undefined. */
function itemProblem(item: unknown, field: string, limits: TextArrayLimits): string | undefined {
  if (typeof item !== 'string') return `${field} must be a string`;
  if (!isSafeText(item)) return `${field} must not contain NUL characters or unpaired surrogates`;
  if (!hasTextLength(item, limits.minLength, limits.maxLength)) return textLengthMessage(field, limits.minLength, limits.maxLength);
  return undefined;
}

function textArrayProblems(value: unknown, field: string, limits: TextArrayLimits): FieldProblem[] {
  if (!Array.isArray(value)) return [{ field, message: `${field} must be an array of strings` }];
  // Items are not examined past the limit: the details stay short whatever the array's length.
  if (value.length > limits.maxItems) return [{ field, message: `${field} must contain at most ${limits.maxItems} items` }];
  const problems: FieldProblem[] = [];
  // Each text with the index it first appeared at, to name both ends of a repeat.
  const seen = new Map<string, number>();
  value.forEach((item: unknown, index) => {
    const itemField = `${field}.${index}`;
    const problem = itemProblem(item, itemField, limits);
    if (problem !== undefined) {
      problems.push({ field: itemField, message: problem });
      return;
    }
    const first = seen.get(item as string);
    if (first !== undefined) problems.push({ field: itemField, message: `${itemField} repeats ${field}.${first}: items must be unique` });
    else seen.set(item as string, index);
  });
  return problems;
}

/**
 * An array of at most `maxItems` unique strings of `minLength` to `maxLength` characters, with no
 * NUL and no unpaired surrogate. One message per problem, each under its own path (`tags.3`),
 * instead of class-validator's per-decorator messages for the whole array.
 */
export function IsTextArray(limits: TextArrayLimits, options?: ValidationOptions): PropertyDecorator {
  return ValidateByProblems('isTextArray', (value, field) => textArrayProblems(value, field, limits), options);
}
