import { createProjectGraphAsync } from '@nx/devkit';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderCodeowners, type ProjectOwnership, type Teams } from './codeowners';

export const CODEOWNERS_PATH = '.github/CODEOWNERS';

/** Reads every project of the Nx graph with its root and tags. */
export async function workspaceProjects(): Promise<ProjectOwnership[]> {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  return Object.values(graph.nodes).map(({ name, data }) => ({
    name,
    root: data.root,
    tags: data.tags ?? [],
  }));
}

export function readTeams(workspaceRoot: string): Teams {
  return JSON.parse(readFileSync(path.join(workspaceRoot, 'tools/workspace/teams.json'), 'utf8')) as Teams;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const check = process.argv.includes('--check');
  const expected = renderCodeowners(await workspaceProjects(), readTeams(root));
  const target = path.join(root, CODEOWNERS_PATH);
  if (!check) {
    writeFileSync(target, expected);
    process.stdout.write(`wrote ${CODEOWNERS_PATH}\n`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is drift too
  }
  if (current !== expected) {
    process.stderr.write(
      `${CODEOWNERS_PATH} is out of date with the project tags: run \`npm run codeowners\`\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${CODEOWNERS_PATH} is up to date\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`codeowners: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
