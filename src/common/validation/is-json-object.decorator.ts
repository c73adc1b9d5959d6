import type { ValidationOptions } from 'class-validator';
import { type JsonObjectLimits, jsonObjectProblem } from './json-object-problem.js';
import { ValidateByProblems } from './located-problems.js';

/**
 * A free-form JSON object within size and depth limits, with no prototype-polluting keys. A
 * refusal names the offending value by its path (`attributes.v.0`), not only the property.
 */
export function IsJsonObject(limits: JsonObjectLimits, options?: ValidationOptions): PropertyDecorator {
  return ValidateByProblems(
    'isJsonObject',
    (value, field) => {
      const problem = jsonObjectProblem(value, limits, field);
      return problem === undefined ? [] : [problem];
    },
    options,
  );
}
