import { FailureReport } from './failure-report.js';

describe('FailureReport', () => {
  afterEach(() => jest.useRealTimers());

  it('logs the first failure, then at most once per interval with the count it stands for', () => {
    let now = 1_000;
    const warn = jest.fn();
    const report = new FailureReport({ warn }, 'Storage failed', 60_000, () => now);

    report.record(new Error('ECONNREFUSED'));
    for (let i = 0; i < 10; i++) report.record(new Error('ECONNREFUSED'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenLastCalledWith('Storage failed (1 since the last report): Error: ECONNREFUSED');

    now += 60_000;
    report.record('timeout');
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith('Storage failed (11 since the last report): timeout');
    report.flush();
  });

  it('reports what an interval left pending at its end, without another failure, and only once', async () => {
    jest.useFakeTimers();
    const warn = jest.fn();
    const report = new FailureReport({ warn }, 'Storage failed', 60_000);

    report.record(new Error('first'));
    for (let i = 0; i < 4; i++) report.record(new Error('later'));
    jest.advanceTimersByTime(59_000);
    expect(warn).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_000);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenLastCalledWith('Storage failed (4 since the last report): Error: later');
    jest.advanceTimersByTime(600_000);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('flushes the pending count at once on demand (shutdown), and then nothing more', () => {
    jest.useFakeTimers();
    const warn = jest.fn();
    const report = new FailureReport({ warn }, 'Storage failed');
    report.record('a');
    report.record('b');
    report.flush();
    expect(warn).toHaveBeenLastCalledWith('Storage failed (1 since the last report): b');
    report.flush();
    jest.advanceTimersByTime(600_000);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
