import type { Reflector } from '@nestjs/core';

type Target = object;
const NO_CLASS = {};

/**
 * Route metadata lookups, answered once per handler (and class) and then from memory. Guards
 * and interceptors ask the same questions on every request (is it public, which scopes, skip
 * the envelope, the throttler's five overrides…), each a walk of reflect-metadata's maps; the
 * answers cannot change once the decorators have run, which is before the app starts.
 */
export class MemoizedReflector {
  private readonly answers = new WeakMap<Target, Map<Target, Map<unknown, unknown>>>();

  constructor(private readonly source: Reflector) {}

  /** Reflector.getAllAndOverride with the usual [handler, class] targets. */
  getAllAndOverride<T>(metadataKey: unknown, targets: Target[]): T {
    const [handler, controller = NO_CLASS] = targets;
    if (handler === undefined || targets.length > 2) return this.source.getAllAndOverride<T>(metadataKey, targets as never);
    return this.remember(handler, controller, metadataKey, () => this.source.getAllAndOverride<T>(metadataKey, targets as never));
  }

  /** Reflector.get on one target. */
  get<T>(metadataKey: unknown, target: Target): T {
    return this.remember(target, NO_CLASS, metadataKey, () => this.source.get<T>(metadataKey, target as never));
  }

  /**
   * Keyed by handler and then class: a handler inherited by two controllers answers per class.
   * Only a few keys per handler exist, so the innermost map stays small.
   */
  private remember<T>(handler: Target, controller: Target, metadataKey: unknown, read: () => T): T {
    let byClass = this.answers.get(handler);
    if (byClass === undefined) this.answers.set(handler, (byClass = new Map()));
    let byKey = byClass.get(controller);
    if (byKey === undefined) byClass.set(controller, (byKey = new Map()));
    if (byKey.has(metadataKey)) return byKey.get(metadataKey) as T;
    const answer = read();
    byKey.set(metadataKey, answer);
    return answer;
  }

  /** For code that takes a Reflector (a library's guard): the two methods it calls, memoized. */
  asReflector(): Reflector {
    return this as unknown as Reflector;
  }
}
