export { enableGracefulShutdown, listenForShutdownSignals, shutdownSequence } from './graceful-shutdown.js';
export { LifecycleModule } from './lifecycle.module.js';
export { ShutdownState } from './shutdown-state.js';
