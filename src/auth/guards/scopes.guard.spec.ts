import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { type Caller, SCOPES } from '../caller.js';
import { Scopes } from '../decorators/scopes.decorator.js';
import { ScopesGuard } from './scopes.guard.js';
import { thrownBy } from '../../../test/helpers/app-error.js';

@Controller()
class OpenController {
  @Get()
  open() {}
}

@Controller()
@Scopes(SCOPES.read)
class ReadController {
  @Get()
  list() {}

  @Get()
  @Scopes(SCOPES.read, SCOPES.write)
  readWrite() {}
}

function contextFor(handler: () => void, controller: object, user?: Caller) {
  return new ExecutionContextHost([{ user }, {}], controller as never, handler);
}

const caller = (...scopes: string[]): Caller => ({ sub: 'alice', scopes: new Set(scopes) });

describe('ScopesGuard', () => {
  const guard = new ScopesGuard(new Reflector());

  it('allows a route without @Scopes(), even with no caller', () => {
    expect(guard.canActivate(contextFor(OpenController.prototype.open, OpenController))).toBe(true);
  });

  it('allows a caller holding the scope declared on the class', () => {
    expect(guard.canActivate(contextFor(ReadController.prototype.list, ReadController, caller(SCOPES.read)))).toBe(true);
  });

  it('refuses a missing scope with FORBIDDEN and an insufficient_scope challenge', () => {
    const error = thrownBy(() =>
      guard.canActivate(contextFor(ReadController.prototype.list, ReadController, caller(SCOPES.write))),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.status).toBe(403);
    expect(error.message).toContain('data:read');
    expect(error.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="data-api", error="insufficient_scope", scope="data:read"',
    });
  });

  it('lets the handler metadata override the class and requires every listed scope', () => {
    const context = contextFor(ReadController.prototype.readWrite, ReadController, caller(SCOPES.read));
    const error = thrownBy(() => guard.canActivate(context));
    expect(error.message).toContain('data:write');
    expect(error.headers?.['WWW-Authenticate']).toContain('scope="data:read data:write"');
    expect(
      guard.canActivate(contextFor(ReadController.prototype.readWrite, ReadController, caller(SCOPES.read, SCOPES.write))),
    ).toBe(true);
  });

  it('refuses a scoped route when no caller was set', () => {
    expect(thrownBy(() => guard.canActivate(contextFor(ReadController.prototype.list, ReadController))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('lets data:admin through data:read and data:write routes', () => {
    const context = contextFor(ReadController.prototype.readWrite, ReadController, caller(SCOPES.admin));
    expect(guard.canActivate(context)).toBe(true);
  });
});
