import type { ArgumentMetadata, Type } from '@nestjs/common';
import { AppError } from '../../src/core/errors/index.js';
import { AppValidationPipe } from '../../src/core/pipes/app-validation.pipe.js';

const pipe = new AppValidationPipe();

/** `value` as the global pipe passes it to a handler, as a request `type` of `metatype`. */
export function validate(metatype: Type, type: ArgumentMetadata['type'], value: unknown): Promise<unknown> {
  return pipe.transform(value, { type, metatype });
}

/** The error the global pipe refuses `value` with, as a request `type` of `metatype`. */
export async function validationRejection(metatype: Type, type: ArgumentMetadata['type'], value: unknown): Promise<AppError> {
  const error = await validate(metatype, type, value).then(
    () => {
      throw new Error(`expected the ${type} to be rejected`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The fields named in a refusal's details. */
export const rejectedFieldsOf = (error: AppError): string[] => (error.details ?? []).map((detail) => detail.field);
