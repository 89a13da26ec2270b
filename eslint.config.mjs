import nx from '@nx/eslint-plugin';

/**
 * Module boundaries are the team contract: every project is tagged `type:*` and `scope:*`
 * (see each project.json), and this rule decides who may import whom.
 *
 * Types: `type:app` (services), `type:tool` (CLIs, workspace scripts, k8s checks), `type:e2e`,
 * `type:util` (libraries product code may use) and `type:testing` (test helpers). Production
 * code never imports `type:testing`; test files may, and so may the harnesses that only ever run
 * as tests, which say so in their own eslint.config.mjs with `allowTestingImports` (stack-e2e,
 * bench, the images smoke test). Nx lints each project from its folder, so those globs are
 * relative to the project.
 */
const TEST_FILES = ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts', '**/*.e2e.ts'];

const SCOPE_CONSTRAINTS = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:frontend', onlyDependOnLibsWithTags: ['scope:frontend', 'scope:shared'] },
  { sourceTag: 'scope:pinger', onlyDependOnLibsWithTags: ['scope:pinger', 'scope:shared'] },
  { sourceTag: 'scope:details', onlyDependOnLibsWithTags: ['scope:details', 'scope:shared'] },
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
];

/** The boundary rule where apps, libraries and tools may import libraries of `libTypes`. */
function boundaries(libTypes) {
  const typeConstraint = (sourceTag, allowed) => ({ sourceTag, onlyDependOnLibsWithTags: allowed });
  return {
    '@nx/enforce-module-boundaries': [
      'error',
      {
        enforceBuildableLibDependency: true,
        allow: [],
        depConstraints: [
          typeConstraint('type:app', libTypes),
          typeConstraint('type:util', libTypes),
          typeConstraint('type:tool', libTypes),
          typeConstraint('type:e2e', ['type:util', 'type:testing']),
          typeConstraint('type:testing', ['type:util', 'type:testing']),
          ...SCOPE_CONSTRAINTS,
        ],
      },
    ],
  };
}

/** A config object that lets `files` (globs relative to the project) import `type:testing` libraries. */
export function allowTestingImports(files) {
  return { files, rules: boundaries(['type:util', 'type:testing']) };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/tmp', '**/.nx'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs'],
    rules: {
      ...boundaries(['type:util']),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  allowTestingImports(TEST_FILES),
  {
    files: ['**/*.spec.ts', '**/*.test.ts', '**/test/**/*.ts', '**/*.e2e.ts'],
    rules: { 'no-console': 'off' },
  },
];
