import { Controller, Get, Res } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { HealthProbe } from './health-probe.decorator.js';
import { ReadinessService } from './readiness.service.js';

const ALIVE: HealthCheckResult = { status: 'ok', info: {}, error: {}, details: {} };

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Liveness: the process answers. No dependency, so a database outage never restarts it. */
  @Get('live')
  @HealthProbe()
  live(): HealthCheckResult {
    return ALIVE;
  }

  /** Readiness: 200 (`ok` or `degraded`) to get traffic; 503 when a required dependency is down or shutting down. */
  @Get('ready')
  @HealthProbe()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const { ready, result } = await this.readiness.check();
    if (!ready) reply.status(503);
    return result;
  }
}
