import { Controller, Injectable, Module, Post } from '@nestjs/common';
import { SCOPES, Scopes } from '../../../src/auth/index.js';
import { Idempotent } from '../../../src/platform/idempotency/index.js';

/** Holds requests inside the handler until the test lets them go, without any timing. */
@Injectable()
export class Gate {
  private waiting: Array<() => void> = [];
  private onEnter: Array<() => void> = [];
  entered = 0;

  /** Resolves once a request is inside the handler. */
  whenEntered(): Promise<void> {
    return this.entered > 0 ? Promise.resolve() : new Promise((resolve) => this.onEnter.push(resolve));
  }

  async pass(): Promise<void> {
    this.entered++;
    this.onEnter.splice(0).forEach((resolve) => resolve());
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}

/** A team module's own POST marked `@Idempotent()`: the decorator is reusable, and can be held. */
@Controller('test/gated')
class GatedController {
  constructor(private readonly gate: Gate) {}

  @Post()
  @Scopes(SCOPES.write)
  @Idempotent()
  async create(): Promise<{ entered: number }> {
    await this.gate.pass();
    return { entered: this.gate.entered };
  }
}

@Module({ controllers: [GatedController], providers: [Gate] })
export class IdempotencyGateModule {}
