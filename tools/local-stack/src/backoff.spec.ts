import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from 1 s after each crash, up to the cap', () => {
    const backoff = new Backoff({ maxMs: 10_000 });
    expect([0, 0, 0, 0, 0, 0].map(() => backoff.next(0))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('keeps doubling while the process crashes soon after it is up', () => {
    const backoff = new Backoff({ resetAfterMs: 60_000 });
    expect([backoff.next(500), backoff.next(59_999), backoff.next(10)]).toEqual([1_000, 2_000, 4_000]);
  });

  it('starts again from the first delay once the process stayed up long enough', () => {
    const backoff = new Backoff({ resetAfterMs: 60_000 });
    backoff.next(0);
    backoff.next(0);
    expect(backoff.next(60_000)).toBe(1_000);
    expect(backoff.next(0)).toBe(2_000);
  });
});
