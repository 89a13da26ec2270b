/**
 * A line diff for `--dry-run` (what a write would change in envoy.json), unified style with a few
 * lines of context. Configs are a few hundred lines: the quadratic longest-common-subsequence table
 * is small.
 */
export function lineDiff(
  before: string,
  after: string,
  { context = 3, from = 'in the cluster', to = 'rendered' } = {},
): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
  const ops: Array<{ kind: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] as string });
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)))
      ops.push({ kind: '-', line: a[i++] as string });
    else ops.push({ kind: '+', line: b[j++] as string });
  }
  if (ops.every((op) => op.kind === ' ')) return '';
  const shown = ops.map((op, index) =>
    ops.slice(Math.max(0, index - context), index + context + 1).some((near) => near.kind !== ' '),
  );
  const lines = [`--- ${from}`, `+++ ${to}`];
  ops.forEach((op, index) => {
    if (shown[index]) lines.push(`${op.kind}${op.line}`);
    else if (index === 0 || shown[index - 1]) lines.push('@@ ... @@');
  });
  return `${lines.join('\n')}\n`;
}
