import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isSafeText } from './safe-text.js';

/** The string (or, with `{ each: true }`, each string) contains no NUL and no lone surrogate. */
export function IsSafeText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isSafeText(value),
        defaultMessage: (args) => `${args?.property} must not contain NUL characters or unpaired surrogates`,
      },
    },
    options,
  );
}
