import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is libs/shared/testing/src/dist.ts). */
export const workspaceRoot = path.resolve(__dirname, '../../../..');

/** A build output the tests run, e.g. `builtScript('apps/pinger/main.js')`; fails with the command to run when it is missing. */
export function builtScript(relative: string, root = workspaceRoot): string {
  const script = path.join(root, 'dist', relative);
  if (!existsSync(script)) {
    throw new Error(
      `${script} is missing: build first with \`npx nx run-many -t build\` (the test targets that need it build it)`,
    );
  }
  return script;
}
