import { AppError } from '../../src/core/errors/index.js';

/** The AppError `promise` rejects with, failing the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** The AppError `run` throws synchronously, failing the test if it returns or throws anything else. */
export function thrownBy(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a synchronous throw of an AppError');
}
