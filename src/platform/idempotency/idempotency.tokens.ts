import { Inject } from '@nestjs/common';

export const IDEMPOTENCY_STORE = Symbol('data-api:idempotency-store');

/** Injects the `IdempotencyStore` (the database one; unit specs pass a fake). */
export const InjectIdempotencyStore = () => Inject(IDEMPOTENCY_STORE);
