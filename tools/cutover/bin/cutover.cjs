#!/usr/bin/env node
/**
 * `npx cutover`: runs the cutover CLI from this checkout. On first use (and whenever its sources
 * or the libraries it bundles changed) it bundles them with esbuild, a devDependency, into
 * node_modules/.cache/cutover/, which takes about a second; later runs start the cached bundle.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const { bundle, WORKSPACE } = require('../build.cjs');

const OUTFILE = path.join(WORKSPACE, 'node_modules/.cache/cutover/main.js');
const SOURCES = [
  path.join(__dirname, '../src'),
  path.join(__dirname, '../build.cjs'),
  path.join(WORKSPACE, 'libs'),
];

function newestChange(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestChange(path.join(entry, name)));
  }
  return newest;
}

async function launch() {
  const built = existsSync(OUTFILE) ? statSync(OUTFILE).mtimeMs : 0;
  if (built < Math.max(...SOURCES.map(newestChange))) await bundle(OUTFILE);
  require(OUTFILE);
}

launch().catch((error) => {
  process.stderr.write(`cutover: could not build the CLI (${error.message}); did \`npm ci\` run?\n`);
  process.exit(3);
});
