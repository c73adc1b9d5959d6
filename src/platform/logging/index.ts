export { accessLevel, accessLine, type AccessLine, registerAccessLog, UNMATCHED_ROUTE } from './access-log.js';
export { FailureReport } from './failure-report.js';
export { LoggingModule, loggingParams } from './logging.module.js';
export { REDACTED, redactSecrets } from './redact-secrets.js';
export { createRootLogger } from './root-logger.js';
export { setupLogging } from './setup-logging.js';
