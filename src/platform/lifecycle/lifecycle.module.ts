import { Global, Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state.js';

/** The process-wide shutdown state, for readiness and anything else that must know. */
@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
