import { FailureReport } from './failure-report.js';

describe('FailureReport', () => {
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
  });
});
