export { HealthModule } from './health.module.js';
export { probeDependency, READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
