export { DatabaseModule } from './database.module.js';
export { DATABASE, InjectDatabase } from './database.tokens.js';
export { DEFAULT_MAX_BATCH_SIZE, InsertCoalescer, type InsertCoalescerOptions } from './insert-coalescer.js';
