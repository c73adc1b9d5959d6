import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { SkipEnvelope } from '../../common/decorators/skip-envelope.decorator.js';
import { NOT_MODIFIED, Page } from '../../common/http/page.js';
import { EnvelopeInterceptor } from './envelope.interceptor.js';

class PlainController {
  handler(): void {}
}

class MixedController {
  @SkipEnvelope()
  metrics(): void {}
  handler(): void {}
}

@SkipEnvelope()
class SkippedController {
  handler(): void {}
}

function contextFor(
  controller: new () => object,
  method: string,
  options: { type?: string; statusCode?: number } = {},
): ExecutionContext {
  const request = { id: 'req-42' };
  const reply = { statusCode: options.statusCode ?? 200 };
  return {
    getType: () => options.type ?? 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[method],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply, getNext: () => undefined }),
  } as unknown as ExecutionContext;
}

function run(context: ExecutionContext, result: unknown): Promise<unknown> {
  const next: CallHandler = { handle: () => of(result) };
  return lastValueFrom(new EnvelopeInterceptor(new Reflector()).intercept(context, next));
}

describe('EnvelopeInterceptor', () => {
  it('wraps a value in the success envelope', async () => {
    const body = (await run(contextFor(PlainController, 'handler'), { id: 1 })) as Record<string, unknown>;
    expect(body).toEqual({ status: 'success', data: { id: 1 }, timestamp: expect.any(String), requestId: 'req-42' });
    expect(body).not.toHaveProperty('page');
    expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  });

  it.each([
    ['a string', 'text'],
    ['a number', 0],
    ['false', false],
    ['an array', [1, 2]],
  ])('wraps %s as data', async (_name, value) => {
    expect(await run(contextFor(PlainController, 'handler'), value)).toMatchObject({ status: 'success', data: value });
  });

  it('wraps undefined as null data', async () => {
    expect(await run(contextFor(PlainController, 'handler'), undefined)).toMatchObject({ status: 'success', data: null });
  });

  it('turns a Page into a list envelope with page info', async () => {
    const page = new Page([{ id: 'a' }, { id: 'b' }], { limit: 2, nextCursor: 'abc' });
    expect(await run(contextFor(PlainController, 'handler'), page)).toEqual({
      status: 'success',
      data: [{ id: 'a' }, { id: 'b' }],
      page: { limit: 2, nextCursor: 'abc' },
      timestamp: expect.any(String),
      requestId: 'req-42',
    });
  });

  it('sends no body for NOT_MODIFIED', async () => {
    expect(await run(contextFor(PlainController, 'handler', { statusCode: 304 }), NOT_MODIFIED)).toBeUndefined();
  });

  it.each([204, 304])('sends no body when the status is %i', async (statusCode) => {
    expect(await run(contextFor(PlainController, 'handler', { statusCode }), { ignored: true })).toBeUndefined();
  });

  it('leaves a handler marked @SkipEnvelope alone', async () => {
    const raw = '# HELP up 1\n';
    expect(await run(contextFor(MixedController, 'metrics'), raw)).toBe(raw);
    expect(await run(contextFor(MixedController, 'handler'), raw)).toMatchObject({ data: raw });
  });

  it('leaves every handler of a controller marked @SkipEnvelope alone', async () => {
    const report = { status: 'ok' };
    expect(await run(contextFor(SkippedController, 'handler'), report)).toBe(report);
  });

  it.each(['rpc', 'ws'])('does not touch %s contexts', async (type) => {
    const value = { raw: true };
    expect(await run(contextFor(PlainController, 'handler', { type }), value)).toBe(value);
  });
});
