import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyToConnectionError, replyToFrameworkError } from './connection-errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fakeSocket(state: { destroyed?: boolean; writable?: boolean } = {}) {
  return { destroyed: state.destroyed ?? false, writable: state.writable ?? true, write: jest.fn(), destroy: jest.fn() };
}

const errno = (code: string) => Object.assign(new Error(code), { code }) as NodeJS.ErrnoException;

/** Splits what was written to the socket into status line, headers and parsed body. */
function written(socket: ReturnType<typeof fakeSocket>) {
  expect(socket.write).toHaveBeenCalledTimes(1);
  const raw = socket.write.mock.calls[0][0] as string;
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => {
    const at = line.indexOf(':');
    return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
  }));
  return { statusLine, headers, body, json: JSON.parse(body) };
}

describe('replyToConnectionError', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'Request headers are too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT', 'The request was not received in time'],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad Request', 'VALIDATION_FAILED', 'Malformed HTTP request'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 'HTTP/1.1 400 Bad Request', 'VALIDATION_FAILED', 'Malformed HTTP request'],
  ])('answers %s with %s and the error envelope, then closes', (code, statusLine, errorCode, message) => {
    const socket = fakeSocket();
    const error = errno(code);
    replyToConnectionError(error, socket as unknown as Socket);

    const response = written(socket);
    expect(response.statusLine).toBe(statusLine);
    expect(response.headers.connection).toBe('close');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.json).toEqual({
      status: 'error',
      error: { code: errorCode, message },
      timestamp: expect.any(String),
      requestId: response.headers['x-request-id'],
      path: '',
    });
    expect(socket.destroy).toHaveBeenCalledWith(error);
  });

  it('stays silent on a connection the client reset', () => {
    const socket = fakeSocket();
    replyToConnectionError(errno('ECONNRESET'), socket as unknown as Socket);
    expect(socket.write).not.toHaveBeenCalled();
  });

  it('does nothing to a socket that is already destroyed', () => {
    const socket = fakeSocket({ destroyed: true });
    replyToConnectionError(errno('HPE_INVALID_METHOD'), socket as unknown as Socket);
    expect(socket.write).not.toHaveBeenCalled();
    expect(socket.destroy).not.toHaveBeenCalled();
  });

  it('only closes a socket it can no longer write to', () => {
    const socket = fakeSocket({ writable: false });
    const error = errno('HPE_INVALID_METHOD');
    replyToConnectionError(error, socket as unknown as Socket);
    expect(socket.write).not.toHaveBeenCalled();
    expect(socket.destroy).toHaveBeenCalledWith(error);
  });
});

describe('replyToFrameworkError', () => {
  function fakeReply() {
    const reply = { code: jest.fn(), header: jest.fn(), send: jest.fn() };
    reply.code.mockReturnValue(reply);
    reply.header.mockReturnValue(reply);
    reply.send.mockReturnValue(reply);
    return reply;
  }

  it('answers a bad URL with the error envelope, request id and path without query', () => {
    const reply = fakeReply();
    const request = { id: 'bad-url-1', url: '/api/data/%E0%A4%A?token=secret' } as FastifyRequest;
    const error = Object.assign(new Error("'/api/data/%E0%A4%A' is not a valid url component"), { name: 'FastifyError', code: 'FST_ERR_BAD_URL', statusCode: 400 });
    replyToFrameworkError(error, request, reply as unknown as FastifyReply);

    expect(reply.code).toHaveBeenCalledWith(400);
    expect(reply.header).toHaveBeenCalledWith('x-request-id', 'bad-url-1');
    expect(reply.send).toHaveBeenCalledWith({
      status: 'error',
      error: { code: 'VALIDATION_FAILED', message: error.message },
      timestamp: expect.any(String),
      requestId: 'bad-url-1',
      path: '/api/data/%E0%A4%A',
    });
  });

  it('masks a server-side framework error', () => {
    const reply = fakeReply();
    const request = { id: 'r', url: '/x' } as FastifyRequest;
    replyToFrameworkError(Object.assign(new Error('constraint strategy blew up at /srv/app'), { statusCode: 500 }), request, reply as unknown as FastifyReply);
    expect(reply.code).toHaveBeenCalledWith(500);
    expect(reply.send.mock.calls[0][0].error).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });
});
