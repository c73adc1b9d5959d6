import { type ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { AppError } from '../errors/index.js';
import { EnvelopeExceptionFilter } from './envelope-exception.filter.js';

interface FakeReply {
  sent: boolean;
  raw: { headersSent: boolean };
  header: jest.Mock;
}

function setup(options: { url?: string; sent?: boolean; headersSent?: boolean; clientGone?: boolean } = {}) {
  const request = { id: 'req-123', method: 'POST', url: options.url ?? '/api/data?token=secret', raw: { destroyed: true, socket: { destroyed: options.clientGone ?? false } } };
  const reply: FakeReply = { sent: options.sent ?? false, raw: { headersSent: options.headersSent ?? false }, header: jest.fn() };
  reply.header.mockReturnValue(reply);
  const adapterReply = jest.fn();
  const adapterHost = { httpAdapter: { reply: adapterReply } } as unknown as HttpAdapterHost;
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply, getNext: () => undefined }),
  } as unknown as ArgumentsHost;
  return { filter: new EnvelopeExceptionFilter(adapterHost), host, reply, adapterReply };
}

describe('EnvelopeExceptionFilter', () => {
  let logError: jest.SpyInstance;

  beforeEach(() => {
    logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('replies with the error envelope and the catalogue status', () => {
    const { filter, host, adapterReply, reply } = setup();
    const details = [{ field: 'nested.field1', messages: ['nested.field1 must be an integer'] }];
    filter.catch(new AppError('VALIDATION_FAILED', 'Request validation failed', details), host);

    expect(adapterReply).toHaveBeenCalledTimes(1);
    const [sentReply, body, status] = adapterReply.mock.calls[0];
    expect(sentReply).toBe(reply);
    expect(status).toBe(400);
    expect(body).toEqual({
      status: 'error',
      error: { code: 'VALIDATION_FAILED', message: 'Request validation failed', details },
      timestamp: expect.any(String),
      requestId: 'req-123',
      path: '/api/data',
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(logError).not.toHaveBeenCalled();
  });

  it('neither answers nor warns when the client hung up mid-body (the stream fails with ECONNRESET)', () => {
    const logWarn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { filter, host, adapterReply } = setup({ clientGone: true });
    filter.catch(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), host);
    expect(adapterReply).not.toHaveBeenCalled();
    expect(logWarn).not.toHaveBeenCalled();
  });

  it('still warns about a dependency failure while the client is connected', () => {
    const logWarn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { filter, host, adapterReply } = setup();
    filter.catch(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), host);
    expect(adapterReply.mock.calls[0][2]).toBe(503);
    expect(logWarn).toHaveBeenCalledTimes(1);
  });

  it('leaves details out when there are none', () => {
    const { filter, host, adapterReply } = setup({ url: '/api/data/x' });
    filter.catch(new AppError('NOT_FOUND'), host);
    const body = adapterReply.mock.calls[0][1];
    expect(body.error).toEqual({ code: 'NOT_FOUND', message: 'Resource not found' });
    expect(body.error).not.toHaveProperty('details');
    expect(body.path).toBe('/api/data/x');
  });

  it('drops the query string from the path', () => {
    const { filter, host, adapterReply } = setup({ url: '/api/data?cursor=abc&access_token=secret' });
    filter.catch(new BadRequestException(), host);
    expect(adapterReply.mock.calls[0][1].path).toBe('/api/data');
  });

  it("keeps the query string out of the whole envelope, including Nest's route-not-found message", () => {
    // Nest answers an unknown route with NotFoundException(`Cannot ${method} ${url}`), url with query.
    const { filter, host, adapterReply } = setup({ url: '/nope?access_token=secret' });
    filter.catch(new NotFoundException('Cannot GET /nope?access_token=secret'), host);
    const body = adapterReply.mock.calls[0][1];
    expect(body).toMatchObject({ error: { code: 'NOT_FOUND' }, path: '/nope' });
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('sets the extra headers of the error', () => {
    const { filter, host, reply } = setup();
    filter.catch(new AppError('UNAUTHORIZED', undefined, undefined, { 'WWW-Authenticate': 'Bearer realm="data-api"', 'X-Extra': '1' }), host);
    expect(reply.header).toHaveBeenCalledWith('WWW-Authenticate', 'Bearer realm="data-api"');
    expect(reply.header).toHaveBeenCalledWith('X-Extra', '1');
  });

  it('maps Nest exceptions through the catalogue', () => {
    const { filter, host, adapterReply } = setup();
    filter.catch(new HttpException('x', 415, { cause: Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }) }), host);
    expect(adapterReply.mock.calls[0][2]).toBe(415);
    expect(adapterReply.mock.calls[0][1].error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('masks an unexpected error and logs its stack with method, path and request id', () => {
    const { filter, host, adapterReply } = setup();
    const failure = new Error('connection refused to 10.0.0.5');
    filter.catch(failure, host);

    expect(adapterReply.mock.calls[0][2]).toBe(500);
    expect(adapterReply.mock.calls[0][1].error).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(JSON.stringify(adapterReply.mock.calls[0][1])).not.toContain('10.0.0.5');
    expect(logError).toHaveBeenCalledTimes(1);
    const [message, stack] = logError.mock.calls[0];
    expect(message).toContain('POST /api/data');
    expect(message).not.toContain('secret');
    expect(message).toContain('req-123');
    expect(stack).toBe(failure.stack);
  });

  it('logs a thrown non-Error as text', () => {
    const { filter, host } = setup();
    filter.catch('plain string failure', host);
    expect(logError.mock.calls[0][1]).toBe('plain string failure');
  });

  it('logs a failure even when the thrown value is undefined (e.g. Promise.reject())', () => {
    const { filter, host, adapterReply } = setup();
    filter.catch(undefined, host);
    expect(adapterReply.mock.calls[0][2]).toBe(500);
    expect(logError).toHaveBeenCalledTimes(1);
  });

  it('does not log client errors', () => {
    const { filter, host } = setup();
    filter.catch(new BadRequestException(), host);
    filter.catch(new AppError('FORBIDDEN'), host);
    expect(logError).not.toHaveBeenCalled();
  });

  it.each([
    ['reply.sent', { sent: true }],
    ['raw.headersSent', { headersSent: true }],
  ])('does not reply again when %s is set, but still logs a server failure', (_name, state) => {
    const { filter, host, adapterReply, reply } = setup(state);
    filter.catch(new AppError('UNAUTHORIZED', undefined, undefined, { 'WWW-Authenticate': 'Bearer' }), host);
    filter.catch(new Error('late failure'), host);
    expect(adapterReply).not.toHaveBeenCalled();
    expect(reply.header).not.toHaveBeenCalled();
    expect(logError).toHaveBeenCalledTimes(1);
  });
});
