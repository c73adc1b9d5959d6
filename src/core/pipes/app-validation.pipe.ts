import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type ErrorDetail } from '../errors/index.js';
import { forbiddenKeyPath, locatedProblems, nestingDepthExceeds } from '../../common/validation/index.js';
import { undeclaredKeys } from './undeclared-keys.js';

/** Deeper than any DTO needs; stops 100k-level arrays before recursive code sees them. */
export const MAX_INPUT_DEPTH = 32;

/** One detail per field, in first-seen order, each message once. */
function groupByField(problems: Array<{ field: string; message: string }>): ErrorDetail[] {
  const byField = new Map<string, Set<string>>();
  for (const { field, message } of problems) byField.set(field, (byField.get(field) ?? new Set()).add(message));
  return [...byField].map(([field, messages]) => ({ field, messages: [...messages] }));
}

/**
 * `nested.field1`, `tags.3`, `attributes.v.0`: one entry per failing field, with every message
 * for it. A constraint that locates its problems inside the value (ValidateByProblems) names
 * each by its own path. A value refused as a whole is reported without its children: the
 * elements of an array sent where an object belongs are not worth a detail each.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (!error.constraints) return flattenValidationErrors(error.children ?? [], field);
    return groupByField(
      Object.entries(error.constraints).flatMap(
        ([name, message]) => locatedProblems(error.contexts?.[name], error.value, field) ?? [{ field, message }],
      ),
    );
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
      // The value lets flattenValidationErrors locate problems inside it; details carry only
      // paths and messages, never the value.
      validationError: { target: false, value: true },
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
