#!/usr/bin/env node
// Adds the lockfile entries of optional platform binaries (e.g. @swc/core-darwin-arm64) that npm
// left out because the registry it resolved against did not serve them. Without these entries
// `npm ci` refuses the lockfile ("Missing: ... from lock file") on every machine.
//
// Each added entry carries the version the parent pins plus its os/cpu/libc, so npm skips it on
// other platforms without fetching anything, and fetches that exact version on the platform that
// needs it. Idempotent: entries that exist are left alone. Usage: node tools/setup/complete-lockfile.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';

const LOCKFILE = new URL('../../package-lock.json', import.meta.url);
const OS = new Set(['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix']);
const CPU = new Set(['arm', 'arm64', 'x64', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el']);

/** os, cpu and libc from a binary package's name, e.g. `@swc/core-linux-arm-gnueabihf`. */
export function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const osIndex = tokens.findIndex((token) => OS.has(token));
  const cpu = tokens[osIndex + 1];
  if (osIndex < 0 || !CPU.has(cpu)) return undefined;
  const abi = tokens[osIndex + 2] ?? '';
  const libc = abi.startsWith('musl') ? 'musl' : abi.startsWith('gnu') ? 'glibc' : undefined;
  return {
    os: [tokens[osIndex]],
    cpu: [cpu],
    ...(tokens[osIndex] === 'linux' && libc ? { libc: [libc] } : {}),
  };
}

export function completeLockfile(lock) {
  const added = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
      if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
      const platform = platformOf(name);
      if (!platform) continue;
      lock.packages[`node_modules/${name}`] = { version, optional: true, ...platform };
      added.push(`${name}@${version}`);
    }
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  return added;
}

const lock = JSON.parse(readFileSync(LOCKFILE, 'utf8'));
const added = completeLockfile(lock);
if (process.argv.includes('--check')) {
  if (added.length > 0) {
    console.error(
      `package-lock.json lacks ${added.length} optional platform entries: run node tools/setup/complete-lockfile.mjs`,
    );
    process.exit(1);
  }
} else if (added.length > 0) {
  writeFileSync(LOCKFILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: added ${added.join(', ')}`);
}
