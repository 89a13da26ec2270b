import { sampleReport } from '../test/sample-report';
import { evaluateTargets } from './targets';
import type { StartupResult } from './types';

function statusOf(id: string) {
  const check = evaluateTargets(sampleReport()).find((candidate) => candidate.id === id);
  if (!check) throw new Error(`no target ${id}`);
  return check;
}

describe('evaluateTargets', () => {
  it('passes a throughput ratio at or above its threshold and fails one below', () => {
    expect(statusOf('pinger-metrics:throughput')).toMatchObject({ measured: 0.95, status: 'pass' });
    expect(statusOf('pinger-tracing:throughput')).toMatchObject({ measured: 0.625, status: 'fail' });
    expect(statusOf('frontend-proxy:throughput')).toMatchObject({ measured: 0.375, status: 'pass' });
  });

  it('holds pinger routes to 10 ms p99 and frontend routes to 15 ms', () => {
    expect(statusOf('pinger-metrics:p99').status).toBe('pass');
    expect(statusOf('pinger-tracing:p99').status).toBe('fail');
    expect(statusOf('frontend-proxy:p99')).toMatchObject({ threshold: 15, status: 'pass' });
  });

  it('judges the one-connection /metrics scenario by its own bar, not the routes p99', () => {
    expect(
      evaluateTargets(sampleReport()).some((check) => check.id === 'pinger-metrics-100-targets:p99'),
    ).toBe(false);
  });

  it('judges /metrics by its p50', () => {
    expect(statusOf('pinger-metrics-100-targets:p50')).toMatchObject({
      measured: 4.5,
      threshold: 5,
      status: 'pass',
    });
  });

  it('uses the median start, so one slow start does not fail the ready target', () => {
    expect(statusOf('frontend:ready')).toMatchObject({ measured: 420, status: 'pass' });
    expect(statusOf('pinger:idle-rss')).toMatchObject({ measured: 61, status: 'pass' });
  });

  it('treats the boundary as met', () => {
    const report = sampleReport();
    const pinger = report.startups[0] as StartupResult;
    report.startups[0] = { ...pinger, medianIdleRssBytes: 80 * 1024 * 1024 };
    expect(evaluateTargets(report).find((check) => check.id === 'pinger:idle-rss')?.status).toBe('pass');
    report.startups[0] = { ...pinger, medianIdleRssBytes: 80 * 1024 * 1024 + 1 };
    expect(evaluateTargets(report).find((check) => check.id === 'pinger:idle-rss')?.status).toBe('fail');
  });

  it('reports a target whose scenario did not run as not measured, never as a pass', () => {
    expect(statusOf('details:ready')).toMatchObject({ measured: undefined, status: 'not measured' });
    const report = sampleReport();
    report.scenarios = report.scenarios.map((scenario) =>
      scenario.id === 'pinger-metrics' ? { ...scenario, ratio: Number.NaN } : scenario,
    );
    expect(evaluateTargets(report).find((check) => check.id === 'pinger-metrics:throughput')?.status).toBe(
      'not measured',
    );
  });
});
