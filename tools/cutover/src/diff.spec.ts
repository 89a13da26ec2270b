import { lineDiff } from './diff';

describe('lineDiff', () => {
  it('is empty for equal texts', () => {
    expect(lineDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows removed and added lines with context, and elides far unchanged lines', () => {
    const before = [
      '{',
      '  "a": 1,',
      '  "b": 2,',
      '  "c": 3,',
      '  "d": 4,',
      '  "weight": 95,',
      '  "e": 5',
      '}',
    ].join('\n');
    const after = before.replace('"weight": 95', '"weight": 50');
    expect(lineDiff(before, after, { context: 1 })).toBe(
      [
        '--- in the cluster',
        '+++ rendered',
        '@@ ... @@',
        '   "d": 4,',
        '-  "weight": 95,',
        '+  "weight": 50,',
        '   "e": 5',
        '@@ ... @@',
        '',
      ].join('\n'),
    );
  });

  it('shows a cluster added to the config as added lines only', () => {
    expect(lineDiff('x\nz', 'x\ny\nz', { context: 0, from: 'old', to: 'new' })).toBe(
      '--- old\n+++ new\n@@ ... @@\n+y\n@@ ... @@\n',
    );
  });
});
