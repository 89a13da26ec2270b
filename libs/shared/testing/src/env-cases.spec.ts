import { envCases } from './env-cases';

describe('envCases', () => {
  it('gives one row per value, in table order, each with its variable', () => {
    expect(envCases({ PORT: ['70000', 'http'], LOG_LEVEL: ['loud'] })).toEqual([
      ['PORT', '70000'],
      ['PORT', 'http'],
      ['LOG_LEVEL', 'loud'],
    ]);
  });

  it('gives no rows for a variable without values', () => {
    expect(envCases({ PORT: [] })).toEqual([]);
  });
});
