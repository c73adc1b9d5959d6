import { applyDecorators } from '@nestjs/common';
import { HealthCheck } from '@nestjs/terminus';
import { Public } from '../../auth/index.js';
import { SkipEnvelope } from '../../common/decorators/skip-envelope.decorator.js';

/**
 * A probe route: no token (gateways and kubelets have none), terminus' own JSON report instead
 * of the envelope (what probe tooling expects), never cached.
 */
export const HealthProbe = () => applyDecorators(Public(), SkipEnvelope(), HealthCheck());
