import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type ErrorDetail } from '../errors/index.js';
import { forbiddenKeyPath, nestingDepthExceeds } from '../../common/validation/index.js';
import { undeclaredKeys } from './undeclared-keys.js';

/** Deeper than any DTO needs; stops 100k-level arrays before recursive code sees them. */
export const MAX_INPUT_DEPTH = 32;

/** `nested.field1`, `tags.3`: one entry per failing leaf, with every message for it. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: ErrorDetail[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Checks that must precede class-transformer, which recurses (a stack overflow, so a 500, on
 * hostile nesting) and treats an own `constructor` key as the class to instantiate.
 */
function rejectHostileShape(value: unknown): void {
  if (nestingDepthExceeds(value, MAX_INPUT_DEPTH)) {
    throw new AppError('VALIDATION_FAILED', `Input nests deeper than ${MAX_INPUT_DEPTH} levels`);
  }
  const forbidden = forbiddenKeyPath(value);
  if (forbidden !== undefined) {
    throw new AppError('VALIDATION_FAILED', 'Request validation failed', [
      { field: forbidden, messages: [`${forbidden} uses a forbidden key (__proto__, constructor, prototype)`] },
    ]);
  }
}

/**
 * The global ValidationPipe with the project's rules, plus the checks it lacks: a body must be
 * a JSON object, no hostile shape reaches class-transformer (rejectHostileShape), and keys
 * class-transformer drops silently are still refused (see undeclaredKeys).
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) =>
        new AppError('VALIDATION_FAILED', 'Request validation failed', flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const againstDto = Boolean(metadata.metatype) && this.toValidate(metadata);
    if (metadata.type === 'body' && againstDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new AppError('VALIDATION_FAILED', 'Request body must be a JSON object');
    }
    if (metadata.type === 'body' || metadata.type === 'query') rejectHostileShape(value);
    const result: unknown = await super.transform(value, metadata);
    if (!againstDto) return result;
    const undeclared = undeclaredKeys(value, result);
    if (undeclared.length > 0) throw new AppError('VALIDATION_FAILED', 'Request validation failed', undeclared);
    return result;
  }
}
