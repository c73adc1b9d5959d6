import type { Dispatcher } from 'undici';
import { TimeoutError } from './client.errors.js';

/**
 * Bounds the wait for response headers from the moment the request is fully sent (the
 * "read timeout" of the `(connect, read)` pair), with a native timer: undici's own parser
 * timeouts run on a coarse clock that may fire up to a second late. A response that starts
 * before the upload ends (an early 413) stops the clock.
 */
export function responseTimeout(ms: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch(options, new ResponseTimeoutHandler(handler, ms));
}

class ResponseTimeoutHandler implements Dispatcher.DispatchHandler {
  private timer?: NodeJS.Timeout;
  private controller?: Dispatcher.DispatchController;
  private responded = false;

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly ms: number,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.controller = controller;
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestSent(): void {
    if (!this.responded && this.ms > 0) {
      this.timer = setTimeout(() => this.controller?.abort(new TimeoutError(`No response headers within ${this.ms} ms`, 'headers')), this.ms);
    }
    this.inner.onRequestSent?.();
  }

  onBodySent(chunk: Buffer): void {
    this.inner.onBodySent?.(chunk);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.stop();
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStarted(): void {
    this.inner.onResponseStarted?.();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2], statusMessage?: string): void {
    // 1xx interim responses are not the answer.
    if (statusCode >= 200) this.stop();
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>[1]): void {
    this.stop();
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.stop();
    this.inner.onResponseError?.(controller, error);
  }

  private stop(): void {
    this.responded = true;
    clearTimeout(this.timer);
  }
}
