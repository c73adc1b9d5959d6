import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'data-api:is-public';

/** Lets a route through the global JWT guard: health probes, metrics, docs. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
