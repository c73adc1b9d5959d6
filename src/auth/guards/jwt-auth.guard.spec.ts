import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET, testAuthConfig } from '../../../test/helpers/tokens.js';
import { Public } from '../decorators/public.decorator.js';
import { JwtStrategy } from '../jwt.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { rejection, thrownBy } from '../../../test/helpers/app-error.js';

const SECRET = TEST_JWT_SECRET;
const BARE_CHALLENGE = 'Bearer realm="data-api"';
const INVALID_TOKEN_CHALLENGE = 'Bearer realm="data-api", error="invalid_token"';

@Controller()
class MixedController {
  @Get()
  @Public()
  health() {}

  @Get()
  data() {}
}

@Controller()
@Public()
class PublicController {
  @Get()
  docs() {}
}

function contextFor(handler: () => void, controller: object, request: object = { headers: {} }) {
  return new ExecutionContextHost([request, {}], controller as never, handler);
}

describe('JwtAuthGuard', () => {
  const guard = new JwtAuthGuard(new Reflector());

  describe('canActivate', () => {
    // The passport AuthGuard the guard extends: reached only for routes that are not public.
    const passportCanActivate = jest.spyOn(Object.getPrototypeOf(JwtAuthGuard.prototype), 'canActivate');

    beforeEach(() => passportCanActivate.mockReset().mockResolvedValue(true));
    afterAll(() => passportCanActivate.mockRestore());

    it('lets a @Public() handler through without verifying anything', async () => {
      expect(await guard.canActivate(contextFor(MixedController.prototype.health, MixedController))).toBe(true);
      expect(passportCanActivate).not.toHaveBeenCalled();
    });

    it('lets every handler of a @Public() class through', async () => {
      expect(await guard.canActivate(contextFor(PublicController.prototype.docs, PublicController))).toBe(true);
      expect(passportCanActivate).not.toHaveBeenCalled();
    });

    it('verifies the token on any other route', async () => {
      const context = contextFor(MixedController.prototype.data, MixedController);
      await guard.canActivate(context);
      expect(passportCanActivate).toHaveBeenCalledWith(context);
    });
  });

  describe('handleRequest', () => {
    it('returns the caller of a verified token', () => {
      const caller = { sub: 'alice', scopes: new Set(['data:read']) };
      expect(guard.handleRequest(null, caller, undefined)).toBe(caller);
    });

    const withAuthorization = (authorization?: string) =>
      contextFor(MixedController.prototype.data, MixedController, { headers: authorization ? { authorization } : {} });

    it.each([undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer   '])('sends a bare challenge without bearer credentials (%s)', (authorization) => {
      const error = thrownBy(() => guard.handleRequest(null, false, new Error('No auth token'), withAuthorization(authorization)));
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.status).toBe(401);
      expect(error.headers).toEqual({ 'WWW-Authenticate': BARE_CHALLENGE });
    });

    it.each([
      ['a verification failure', null, new jwt.JsonWebTokenError('invalid signature')],
      ['an expired token', null, new jwt.TokenExpiredError('jwt expired', new Date())],
      ['a payload validate() refused', null, undefined],
      ['a strategy error', new Error('boom'), undefined],
    ])('answers %s with UNAUTHORIZED and error="invalid_token"', (_label, error, info) => {
      const thrown = thrownBy(() => guard.handleRequest(error, false, info, withAuthorization('Bearer a.b.c')));
      expect(thrown.code).toBe('UNAUTHORIZED');
      expect(thrown.headers).toEqual({ 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE });
    });
  });

  describe('with the real JwtStrategy', () => {
    beforeAll(() => new JwtStrategy(testAuthConfig()));

    const route = (request: object) => contextFor(MixedController.prototype.data, MixedController, request);

    it('sets request.user from a valid token', async () => {
      const token = jwt.sign({ sub: 'alice', scope: 'data:read', exp: Math.floor(Date.now() / 1000) + 60 }, SECRET);
      const request: { headers: object; user?: unknown } = { headers: { authorization: `Bearer ${token}` } };
      expect(await guard.canActivate(route(request))).toBe(true);
      expect(request.user).toEqual({ sub: 'alice', scopes: new Set(['data:read']) });
    });

    it('answers a request without Authorization with the bare challenge', async () => {
      const error = await rejection(Promise.resolve(guard.canActivate(route({ headers: {} }))));
      expect(error.headers).toEqual({ 'WWW-Authenticate': BARE_CHALLENGE });
    });

    it('answers a bad token with error="invalid_token"', async () => {
      const request = { headers: { authorization: 'Bearer not.a.jwt' } };
      const error = await rejection(Promise.resolve(guard.canActivate(route(request))));
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.headers).toEqual({ 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE });
    });
  });

  describe('remembering verified tokens', () => {
    beforeAll(() => new JwtStrategy(testAuthConfig()));

    const route = (request: object) => contextFor(MixedController.prototype.data, MixedController, request);
    const requestWith = (token: string): { headers: object; user?: unknown } => ({ headers: { authorization: `Bearer ${token}` } });
    const signed = (sub: string, expiresInS: number) => jwt.sign({ sub, scope: 'data:read', exp: Math.floor(Date.now() / 1000) + expiresInS }, SECRET);

    afterEach(() => jest.restoreAllMocks());

    it('checks a token in full once, then answers its next requests from what it remembered', async () => {
      const remembering = new JwtAuthGuard(new Reflector());
      const fullCheck = jest.spyOn(Object.getPrototypeOf(JwtAuthGuard.prototype), 'canActivate');
      const token = signed('carol', 60);
      const first = requestWith(token);
      const second = requestWith(token);
      expect(await remembering.canActivate(route(first))).toBe(true);
      expect(await remembering.canActivate(route(second))).toBe(true);
      expect(fullCheck).toHaveBeenCalledTimes(1);
      expect(second.user).toEqual({ sub: 'carol', scopes: new Set(['data:read']) });
    });

    it('checks again, and refuses, once the remembered token has expired', async () => {
      const remembering = new JwtAuthGuard(new Reflector());
      const token = signed('dave', 10);
      expect(await remembering.canActivate(route(requestWith(token)))).toBe(true);
      const later = Date.now() + 60_000;
      jest.spyOn(Date, 'now').mockReturnValue(later);
      const error = await rejection(Promise.resolve(remembering.canActivate(route(requestWith(token)))));
      expect(error.headers).toEqual({ 'WWW-Authenticate': INVALID_TOKEN_CHALLENGE });
    });

    it('never remembers a refused token', async () => {
      const remembering = new JwtAuthGuard(new Reflector());
      const fullCheck = jest.spyOn(Object.getPrototypeOf(JwtAuthGuard.prototype), 'canActivate');
      const forged = `${signed('mallory', 60).slice(0, -2)}xx`;
      for (let i = 0; i < 2; i++) await rejection(Promise.resolve(remembering.canActivate(route(requestWith(forged)))));
      expect(fullCheck).toHaveBeenCalledTimes(2);
    });
  });
});
