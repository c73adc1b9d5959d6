import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/index.js';
import { SkipEnvelope } from '../../common/decorators/skip-envelope.decorator.js';

/**
 * `GET /metrics` in the Prometheus text format. Public because Prometheus scrapes without a
 * token: keep it off the gateway (see README, Metrics and alerts), and out of the public API docs.
 */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  @SkipEnvelope()
  override index(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return super.index(reply);
  }
}
