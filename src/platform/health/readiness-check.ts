import { Logger } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency readiness looks at. A required check that is down fails readiness (503); an
 * optional one (a cache the service can run without) only turns the status to `degraded`.
 */
export interface ReadinessCheck {
  readonly key: string;
  readonly optional: boolean;
  check(): PromiseLike<HealthIndicatorResult>;
}

/** The readiness checks, in the order they are reported (see health.module.ts). */
export const READINESS_CHECKS = Symbol('data-api:readiness-checks');

/** An optional dependency that is down is reported as degraded, which keeps readiness up. */
export async function runReadinessCheck(check: ReadinessCheck): Promise<HealthIndicatorResult> {
  const result = await check.check();
  if (!check.optional) return result;
  return Object.fromEntries(
    Object.entries(result).map(([key, detail]) => [key, detail.status === 'down' ? { ...detail, status: 'degraded' } : detail]),
  );
}

const healthLogger = new Logger('Health');

/**
 * Runs a dependency probe for a public endpoint: the real cause (hosts, ports, driver messages)
 * goes to the log, the probe body only says `publicMessage`.
 */
export async function probeDependency(name: string, publicMessage: string, probe: () => Promise<unknown>): Promise<void> {
  try {
    await probe();
  } catch (error) {
    healthLogger.warn(`${name} check failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new Error(publicMessage);
  }
}
