import { appConfig } from './app.config.js';
import { authConfig } from './auth.config.js';
import { databaseConfig } from './database.config.js';
import { filesConfig } from './files.config.js';
import { httpConfig } from './http.config.js';
import { sharedStateConfig } from './shared-state.config.js';

export { appConfig, type AppConfig } from './app.config.js';
export { authConfig, type AuthConfig, type VerificationKey } from './auth.config.js';
export { databaseConfig, type DatabaseConfig, IN_MEMORY_DATA_DIR } from './database.config.js';
export { DEFAULT_UPLOAD_TYPES, filesConfig, type FilesConfig } from './files.config.js';
export { httpConfig, type HttpConfig } from './http.config.js';
export { sharedStateConfig, type SharedStateConfig } from './shared-state.config.js';
export { ConfigError } from './env.reader.js';
export { checkDirectory, ensureDirectory } from './ensure-directory.js';

/** Every namespace, loaded by ConfigModule and checked by main.ts before Nest starts. */
export const configNamespaces = [appConfig, authConfig, databaseConfig, filesConfig, httpConfig, sharedStateConfig];
