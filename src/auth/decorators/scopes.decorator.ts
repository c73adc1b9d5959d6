import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiErrors } from '../../common/decorators/api-errors.decorator.js';
import type { Scope } from '../caller.js';

export const REQUIRED_SCOPES = 'data-api:required-scopes';

/** The OpenAPI security scheme of the bearer JWT (see platform/docs). */
export const BEARER_SCHEME = 'bearer';

/**
 * Every listed scope is required; a token without one gets 403 FORBIDDEN. Also documents the
 * route in OpenAPI: the bearer scheme with the scopes as its roles, and the 401/403 answers.
 */
export const Scopes = (...scopes: Scope[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiSecurity(BEARER_SCHEME, scopes),
    ApiErrors('UNAUTHORIZED', 'FORBIDDEN'),
  );
