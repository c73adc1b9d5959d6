import { ValidateBy, type ValidationOptions } from 'class-validator';
import { hasTextLength, textLengthMessage } from './text-length.js';

/**
 * A string of `min` to `max` characters, counted as Unicode code points (what PostgreSQL's
 * char_length counts; class-validator's `@Length` does not count variation selectors). Values
 * that are not strings pass: `@IsString()` reports them, once.
 */
export function TextLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'textLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || hasTextLength(value, min, max),
        defaultMessage: (args) => textLengthMessage(args?.property ?? 'value', min, max),
      },
    },
    options,
  );
}
