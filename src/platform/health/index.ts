export { HealthModule } from './health.module.js';
export { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
