/**
 * Bundles the cutover CLI into one CommonJS file. Used by the launcher (bin/cutover.cjs, on first
 * use after `npm ci`) and by the Nx `build` target, so both produce the same thing.
 *
 * @kubernetes/client-node 1.x is ESM-only: it and everything it imports are bundled (converted to
 * CommonJS, with its own copies of its dependencies). Our other imports of packages stay external
 * and are loaded from node_modules at run time, like the other tools'.
 */
const path = require('node:path');

const WORKSPACE = path.resolve(__dirname, '../..');
const ESM_ONLY = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose', 'jsonpath-plus'];
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const externalUnlessEsmOnly = {
  name: 'external-unless-esm-only',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@learnathon/')) return undefined; // our libs, through tsconfig paths
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined; // inside a bundled package
      if (ESM_ONLY.includes(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Writes `outfile` (and its source map); resolves once done, rejects with esbuild's errors. */
async function bundle(outfile) {
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    tsconfig: path.join(WORKSPACE, 'tsconfig.base.json'),
    plugins: [externalUnlessEsmOnly],
    logLevel: 'error',
  });
}

module.exports = { bundle, WORKSPACE };

if (require.main === module) {
  const outfile = path.resolve(WORKSPACE, process.argv[2] ?? 'dist/tools/cutover/main.js');
  bundle(outfile).catch((error) => {
    process.stderr.write(`cutover build failed: ${error.message}\n`);
    process.exit(1);
  });
}
