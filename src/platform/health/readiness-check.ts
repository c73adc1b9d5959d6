import { Logger } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { FailureReport } from '../logging/index.js';

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

/** How often, at most, one dependency's failed checks are logged (probes may come every second). */
export const CHECK_FAILURE_LOG_INTERVAL_MS = 60_000;

/** The log of one dependency's failed checks: the first at once, then at most one line per interval. */
export function checkFailureReport(name: string): FailureReport {
  return new FailureReport(new Logger('Health'), `${name} check failed`, CHECK_FAILURE_LOG_INTERVAL_MS);
}

/**
 * Runs a dependency probe for a public endpoint: the real cause (hosts, ports, driver messages)
 * goes to the log through `failures` (probes are public and frequent: never a line per probe),
 * the probe body only says `publicMessage`.
 */
export async function probeDependency(failures: FailureReport, publicMessage: string, probe: () => Promise<unknown>): Promise<void> {
  try {
    await probe();
  } catch (error) {
    failures.record(error);
    throw new Error(publicMessage);
  }
}
