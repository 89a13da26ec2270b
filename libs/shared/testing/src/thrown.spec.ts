import { errorThrownBy } from './thrown';

class RefusalError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'RefusalError';
  }
}

describe('errorThrownBy', () => {
  it('returns the error of the expected type', () => {
    const error = errorThrownBy(() => {
      throw new RefusalError(['PORT is bad']);
    }, RefusalError);
    expect(error.problems).toEqual(['PORT is bad']);
  });

  it('fails when nothing is thrown', () => {
    expect(() => errorThrownBy(() => 42, RefusalError)).toThrow(
      'expected a RefusalError, but nothing was thrown',
    );
  });

  it('fails naming the error of another type, keeping it as the cause', () => {
    const other = new TypeError('not a refusal');
    const failure = errorThrownBy(
      () =>
        errorThrownBy(() => {
          throw other;
        }, RefusalError),
      Error,
    );
    expect(failure.message).toBe('expected a RefusalError, got TypeError: not a refusal');
    expect(failure.cause).toBe(other);
  });
});
