import { Controller, Get, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Counter } from 'prom-client';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { rejection } from '../../../test/helpers/app-error.js';

const LIMIT = 2;
const TTL_MS = 60_000;

@Controller()
class DataController {
  @Get()
  list() {}

  @Get()
  read() {}
}

@Controller()
class HealthController {
  @Get()
  ready() {}
}

interface FakeReply {
  headers: jest.Mock;
}

function setup(storage: ThrottlerStorage = new FixedWindowThrottlerStorage(() => 1_000_000)) {
  const rateLimited = { inc: jest.fn() };
  const storageErrors = { inc: jest.fn() };
  const guard = new RateLimitGuard(
    { throttlers: [{ name: 'default', limit: LIMIT, ttl: TTL_MS }] },
    storage,
    new Reflector(),
    rateLimited as unknown as Counter,
    storageErrors as unknown as Counter,
  );
  return { guard, storage, rateLimited, storageErrors };
}

/** A request to `handler` (route template `url`) by `sub`, or anonymous from `ip`. */
function contextFor(handler: () => void, controller: object, url: string, caller: { sub?: string; ip?: string } = {}) {
  const request = { ip: caller.ip ?? '10.0.0.1', headers: {}, routeOptions: { url }, ...(caller.sub ? { user: { sub: caller.sub, scopes: new Set<string>() } } : {}) };
  const reply: FakeReply = { headers: jest.fn() };
  return { context: new ExecutionContextHost([request, reply], controller as never, handler), reply };
}

const list = (caller: { sub?: string; ip?: string }) => contextFor(DataController.prototype.list, DataController, '/api/data', caller);
const read = (caller: { sub?: string; ip?: string }) => contextFor(DataController.prototype.read, DataController, '/api/data/:id', caller);

describe('RateLimitGuard', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(['/health/ready', '/metrics'])('lets %s through without counting it', async (url) => {
    const { guard, storage } = setup();
    await guard.onModuleInit();
    const increment = jest.spyOn(storage, 'increment');
    const { context, reply } = contextFor(HealthController.prototype.ready, HealthController, url, { sub: 'alice' });
    expect(await guard.canActivate(context)).toBe(true);
    expect(increment).not.toHaveBeenCalled();
    expect(reply.headers).not.toHaveBeenCalled();
  });

  it('keys a verified caller by its sub and an anonymous one by its address', async () => {
    const { guard, storage } = setup();
    await guard.onModuleInit();
    const increment = jest.spyOn(storage, 'increment');
    await guard.canActivate(list({ sub: 'alice' }).context);
    await guard.canActivate(list({ ip: '192.0.2.7' }).context);
    expect(increment.mock.calls.map(([key]) => key)).toEqual(['default:sub:alice', 'default:ip:192.0.2.7']);
    expect(increment).toHaveBeenCalledWith('default:sub:alice', TTL_MS, LIMIT, TTL_MS, 'default');
  });

  it('spends one budget per caller across routes, apart from other callers', async () => {
    const { guard } = setup();
    await guard.onModuleInit();
    expect(await guard.canActivate(list({ sub: 'alice' }).context)).toBe(true);
    expect(await guard.canActivate(read({ sub: 'alice' }).context)).toBe(true);
    // A third request on either route is over alice's budget; bob's is untouched.
    expect((await rejection(guard.canActivate(list({ sub: 'alice' }).context))).code).toBe('RATE_LIMITED');
    expect(await guard.canActivate(read({ sub: 'bob' }).context)).toBe(true);
  });

  it('sets the RateLimit headers on an allowed request', async () => {
    const { guard } = setup();
    await guard.onModuleInit();
    const { context, reply } = list({ sub: 'alice' });
    await guard.canActivate(context);
    expect(reply.headers).toHaveBeenCalledWith({ 'RateLimit-Limit': '2', 'RateLimit-Remaining': '1', 'RateLimit-Reset': '60' });
  });

  it('refuses a request over the budget with RATE_LIMITED and Retry-After, counted in rate_limited_total', async () => {
    const { guard, rateLimited, storageErrors } = setup();
    await guard.onModuleInit();
    for (let i = 0; i < LIMIT; i++) await guard.canActivate(list({ sub: 'alice' }).context);
    expect(rateLimited.inc).not.toHaveBeenCalled();
    const { context, reply } = list({ sub: 'alice' });
    const error = await rejection(guard.canActivate(context));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe(429);
    expect(error.headers).toEqual({ 'RateLimit-Limit': '2', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '60', 'Retry-After': '60' });
    expect(reply.headers).not.toHaveBeenCalled();
    expect(rateLimited.inc).toHaveBeenCalledTimes(1);
    expect(storageErrors.inc).not.toHaveBeenCalled();
  });

  it('lets requests through when the storage fails, counted in rate_limit_errors_total and logged once', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failing: ThrottlerStorage = { increment: () => Promise.reject(new Error('ECONNREFUSED')) };
    const { guard, rateLimited, storageErrors } = setup(failing);
    await guard.onModuleInit();
    for (let i = 0; i < LIMIT + 3; i++) {
      const { context, reply } = list({ sub: 'alice' });
      expect(await guard.canActivate(context)).toBe(true);
      expect(reply.headers).not.toHaveBeenCalled();
    }
    expect(storageErrors.inc).toHaveBeenCalledTimes(LIMIT + 3);
    expect(rateLimited.inc).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Rate limit storage failed, requests allowed unchecked'));
    // The failures not yet reported are written at shutdown, not dropped.
    guard.onApplicationShutdown();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining(`(${LIMIT + 2} since the last report)`));
  });
});
