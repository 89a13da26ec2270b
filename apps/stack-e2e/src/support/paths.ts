import { existsSync } from 'node:fs';
import path from 'node:path';

export const workspaceRoot = path.resolve(__dirname, '../../../..');
export const dist = (relative: string) => path.join(workspaceRoot, 'dist', relative);

/** Fails with the command to run when a build output the tests need is missing. */
export function builtScript(relative: string): string {
  const script = dist(relative);
  if (!existsSync(script)) {
    throw new Error(
      `${script} is missing: build first with \`npx nx run-many -t build\` (the stack-e2e test target does this)`,
    );
  }
  return script;
}
