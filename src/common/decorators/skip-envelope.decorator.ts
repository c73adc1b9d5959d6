import { SetMetadata } from '@nestjs/common';

export const SKIP_ENVELOPE = 'data-api:skip-envelope';

/** For routes whose body has a format of its own (Prometheus text, health reports). */
export const SkipEnvelope = () => SetMetadata(SKIP_ENVELOPE, true);
