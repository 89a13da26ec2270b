import { spawnSync } from 'node:child_process';

/** The short commit for image tags, or undefined outside a git checkout (then only the stable tag is used). */
export function gitShortSha(workspaceRoot: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    timeout: 10_000,
  });
  const sha = result.status === 0 ? result.stdout.trim() : '';
  return /^[0-9a-f]{7,40}$/.test(sha) ? sha : undefined;
}
