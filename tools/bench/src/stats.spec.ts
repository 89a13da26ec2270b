import { mean, median, percentile } from './stats';

describe('percentile', () => {
  it('uses the nearest rank, so p99 of 100 samples is the 99th smallest', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 100)).toBe(100);
  });

  it('sorts numerically, not as text', () => {
    expect(percentile([10, 9, 100, 2], 50)).toBe(9);
  });

  it('gives NaN for no samples rather than a made-up number', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(mean([])).toBeNaN();
  });

  it('leaves its input alone', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('mean and median', () => {
  it('average and middle', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(median([5, 1, 4, 2, 3])).toBe(3);
  });
});
