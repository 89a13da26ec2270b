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
  it("gives each listed project docker-build and kind-load targets for its images, at the entry's root", async () => {
    const [entry] = await infer(['tools/images/images.json']);
    const projects = entry?.[1].projects ?? {};
    expect(Object.keys(projects).sort()).toEqual([
      'apps/details',
      'apps/envoy-sidecar',
      'apps/frontend',
      'apps/pinger',
      'tools/loadgen',
    ]);
    const targets = projects['apps/pinger']?.targets ?? {};
    expect(targets['docker-build']?.options).toEqual({
      command: 'node dist/tools/images/main.js build --project pinger',
    });
    expect(targets['kind-load']?.dependsOn).toEqual([{ target: 'docker-build', params: 'forward' }]);
    expect(targets['docker-build']?.metadata?.description).toBe(
      'Build learnathon/pinger:v1, learnathon/pinger:v2 (options: --engine=docker|podman)',
    );
  });

  it('makes every image project depend on the images project, so a change to the shared Dockerfile affects them all', async () => {
    const [entry] = await infer(['tools/images/images.json']);
    for (const project of Object.values(entry?.[1].projects ?? {}))
      expect(project.implicitDependencies).toEqual(['images']);
  });
});
