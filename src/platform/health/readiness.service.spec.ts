import { Test } from '@nestjs/testing';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness-check.js';
import { ReadinessService } from './readiness.service.js';

const indicators = new HealthIndicatorService();
const check = (key: string, optional: boolean, up: boolean): ReadinessCheck => ({
  key,
  optional,
  check: async () => (up ? indicators.check(key).up() : indicators.check(key).down({ message: `${key} unreachable` })),
});

async function readiness(checks: ReadinessCheck[]) {
  const moduleRef = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false })],
    providers: [ReadinessService, ShutdownState, { provide: READINESS_CHECKS, useValue: checks }],
  }).compile();
  return { service: moduleRef.get(ReadinessService), state: moduleRef.get(ShutdownState) };
}

describe('ReadinessService', () => {
  it('is ready when every check is up', async () => {
    const { service } = await readiness([check('database', false, true), check('redis', true, true)]);
    expect(await service.check()).toMatchObject({ ready: true, result: { status: 'ok' } });
  });

  it('is ready but degraded when only an optional dependency is down', async () => {
    const { service } = await readiness([check('database', false, true), check('redis', true, false)]);
    const { ready, result } = await service.check();
    expect(ready).toBe(true);
    expect(result).toMatchObject({
      status: 'degraded',
      info: { database: { status: 'up' }, redis: { status: 'degraded', message: 'redis unreachable' } },
      error: {},
    });
  });

  it('is not ready when a required dependency is down', async () => {
    const { service } = await readiness([check('database', false, false), check('redis', true, true)]);
    expect(await service.check()).toMatchObject({
      ready: false,
      result: { status: 'error', error: { database: { status: 'down' } }, info: { redis: { status: 'up' } } },
    });
  });

  it('is not ready once shutdown began, without asking any dependency', async () => {
    const database = check('database', false, true);
    const spy = jest.spyOn(database, 'check');
    const { service, state } = await readiness([database]);
    state.begin();
    expect(await service.check()).toEqual({ ready: false, result: { status: 'shutting_down', info: {}, error: {}, details: {} } });
    expect(spy).not.toHaveBeenCalled();
  });
});
