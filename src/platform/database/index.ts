export { DatabaseModule } from './database.module.js';
export { DATABASE, InjectDatabase } from './database.tokens.js';
