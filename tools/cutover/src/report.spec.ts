import { createReporter, textLine } from './report';

describe('textLine', () => {
  it('shows a step with its split, short hash and conflicts', () => {
    expect(
      textLine({
        event: 'step',
        index: 2,
        of: 4,
        weight: 25,
        split: { 'pinger-v1': 75, 'pinger-v2': 25 },
        configHash: 'a'.repeat(64),
        attempts: 2,
      }),
    ).toBe(
      'step 2/4: pinger-v1 75% / pinger-v2 25% written to ConfigMap envoy-frontend (config aaaaaaaaaaaa, after 1 conflict(s) re-read)',
    );
  });

  it('shows the time to the next check with live numbers', () => {
    expect(
      textLine({ event: 'analysis-wait', step: 1, weight: 5, nextCheckInS: 95, live: 'requests 40 >= 20' }),
    ).toBe('  step 1 at 5%: next check in 1m35s; live: requests 40 >= 20');
  });

  it('prints every query with the judgement of its value', () => {
    const text = textLine({
      event: 'analysis',
      step: 1,
      weight: 5,
      verdict: 'failed',
      inconclusiveInARow: 0,
      measurements: [
        {
          name: 'error ratio',
          query: 'sum(rate(x[60s]))',
          value: 0.2,
          judgement: '20% > 1% (--max-error-ratio)',
        },
      ],
    });
    expect(text).toBe(
      '  check at 5%: FAILED\n    error ratio: 20% > 1% (--max-error-ratio)\n      sum(rate(x[60s]))',
    );
  });
});

it('writes JSON lines with --json and text lines without', () => {
  const lines: string[] = [];
  const event = { event: 'rollback', reason: 'pinger-v2 failed' } as const;
  createReporter(true, (text) => lines.push(text)).emit(event);
  createReporter(false, (text) => lines.push(text)).emit(event);
  expect(lines).toEqual([`${JSON.stringify(event)}\n`, 'rolling back: pinger-v2 failed\n']);
});
