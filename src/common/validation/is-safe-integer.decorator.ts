import { ValidateBy, type ValidationOptions } from 'class-validator';

/** An integer JavaScript and JSON clients can represent exactly (±2^53−1). */
export function IsSafeInteger(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeInteger',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value),
        defaultMessage: (args) => `${args?.property} must be an integer between -(2^53-1) and 2^53-1`,
      },
    },
    options,
  );
}
