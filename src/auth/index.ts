export { AuthModule } from './auth.module.js';
export { type Caller, hasScope, isAdmin, type Scope, SCOPES } from './caller.js';
export { CurrentCaller } from './decorators/current-caller.decorator.js';
export { Public } from './decorators/public.decorator.js';
export { Scopes } from './decorators/scopes.decorator.js';
