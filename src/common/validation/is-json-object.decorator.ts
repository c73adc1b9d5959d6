import { ValidateBy, type ValidationOptions } from 'class-validator';
import { type JsonObjectLimits, jsonObjectProblem } from './json-object-problem.js';

/** A free-form JSON object within size and depth limits, with no prototype-polluting keys. */
export function IsJsonObject(limits: JsonObjectLimits, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isJsonObject',
      constraints: [limits],
      validator: {
        validate: (value: unknown, args) => jsonObjectProblem(value, limits, args?.property ?? 'value') === undefined,
        defaultMessage: (args) =>
          jsonObjectProblem(args?.value, limits, args?.property ?? 'value') ?? `${args?.property} is invalid`,
      },
    },
    options,
  );
}
