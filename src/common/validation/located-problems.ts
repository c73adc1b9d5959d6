import { ValidateBy, type ValidationOptions } from 'class-validator';

/** One problem of an input value, named by the full path of what is wrong (`attributes.v.0`, `tags.3`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Everything wrong with `value`, which the input holds at `field` (its full path): a value can
 * be refused for something deep inside it, and the client must be told where.
 */
export type ProblemFinder = (value: unknown, field: string) => FieldProblem[];

// Where the finder travels: class-validator copies a decorator's `context` into the
// ValidationError, which is all the global pipe gets to build the error details from.
const FINDER = 'findProblems';

/**
 * A class-validator constraint named `name` that refuses a value when `find` reports problems.
 * The global pipe reports each problem under its own path; class-validator's single message
 * (the first problem, under the property name) is only a fallback.
 */
export function ValidateByProblems(name: string, find: ProblemFinder, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown, args) => find(value, args?.property ?? 'value').length === 0,
        defaultMessage: (args) => find(args?.value, args?.property ?? 'value')[0]?.message ?? `${args?.property} is invalid`,
      },
    },
    { ...options, context: { ...(options?.context as object | undefined), [FINDER]: find } },
  );
}

/**
 * The problems a ValidateByProblems constraint finds in `value` at `field`, read from the
 * constraint's context in a ValidationError; undefined for any other constraint.
 */
export function locatedProblems(context: unknown, value: unknown, field: string): FieldProblem[] | undefined {
  const find = (context as Record<string, unknown> | undefined)?.[FINDER];
  return typeof find === 'function' ? (find as ProblemFinder)(value, field) : undefined;
}
