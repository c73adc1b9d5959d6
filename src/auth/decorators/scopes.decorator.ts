import { SetMetadata } from '@nestjs/common';
import type { Scope } from '../caller.js';

export const REQUIRED_SCOPES = 'data-api:required-scopes';

/** Every listed scope is required; a token without one gets 403 FORBIDDEN. */
export const Scopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);
