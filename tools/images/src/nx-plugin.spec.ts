import path from 'node:path';
import type { CreateNodesContext, CreateNodesResult } from '@nx/devkit';
// The plugin is plain CommonJS so that Nx loads it without a transpiler.
import plugin from '../nx-plugin.cjs';

const context: CreateNodesContext = {
  workspaceRoot: path.resolve(__dirname, '../../..'),
  nxJsonConfiguration: {},
};

async function infer(files: string[]) {
  const [, createNodes] = plugin.createNodes;
  return (await createNodes(files, {}, context)) as Array<readonly [string, CreateNodesResult]>;
}

describe('images Nx plugin', () => {
  it('gives a listed Dockerfile docker-build and kind-load targets that run the images tool', async () => {
    const [entry] = await infer(['apps/pinger/Dockerfile']);
    const targets = entry?.[1].projects?.['apps/pinger']?.targets ?? {};
    expect(targets['docker-build']?.options).toEqual({
      command: 'node dist/tools/images/main.js build --dockerfile apps/pinger/Dockerfile',
    });
    expect(targets['kind-load']?.dependsOn).toEqual([{ target: 'docker-build', params: 'forward' }]);
    expect(targets['docker-build']?.metadata?.description).toContain('learnathon/pinger:v2');
  });

  it('ignores a Dockerfile the image list does not name', async () => {
    expect(await infer(['examples/elsewhere/Dockerfile'])).toEqual([]);
  });
});
