export { HealthModule } from './health.module.js';
export { checkFailureReport, probeDependency, READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
