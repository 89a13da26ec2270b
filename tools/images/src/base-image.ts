import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { capture, logLine, requireProgram, run } from './engine';

/**
 * Stand-in for both base images (node:20-bookworm-slim to build, distroless nodejs20 to run) where
 * no registry is reachable: Debian bookworm minbase from the apt mirror, plus this machine's Node.
 */
export const LOCAL_BASE_IMAGE = 'localhost/learnathon-node-base:20';

const SUITE = 'bookworm';
const FALLBACK_MIRROR = 'http://deb.debian.org/debian';
const VERSION_LABEL = 'learnathon.node-version';
/** The host's trust store: npm in the build stage must trust whatever the host's npm trusts. */
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** Never needed to run node; trimming them keeps the base about 100 MB smaller. */
const TRIMMED_DIRS = [
  'usr/share/doc',
  'usr/share/man',
  'usr/share/info',
  'usr/share/locale',
  'var/cache/apt',
  'var/lib/apt/lists',
  'var/log',
];

export interface BaseImageOptions {
  workspaceRoot: string;
  /** Rebuild even when the cached tarball and image match this Node version. */
  rebuild?: boolean;
}

/** The Debian mirror apt already uses (deb822 `.sources` or classic `sources.list`), so debootstrap works wherever apt does. */
export function aptMirror(sourceTexts: string[]): string {
  for (const text of sourceTexts) {
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    const classic = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    const uri = deb822?.[1] ?? classic?.[1];
    if (uri && !uri.includes('security')) return uri;
  }
  return FALLBACK_MIRROR;
}

function readAptSources(): string[] {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir))
    files.push(
      ...readdirSync(dir)
        .filter((name) => /\.(list|sources)$/.test(name))
        .map((name) => path.join(dir, name)),
    );
  return files.filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8'));
}

function hostNode(): { binary: string; npmDir: string } {
  const binary = realpathSync(process.execPath);
  const npmDir = path.resolve(path.dirname(binary), '..', 'lib', 'node_modules', 'npm');
  if (!existsSync(path.join(npmDir, 'bin', 'npm-cli.js')))
    throw new Error(`npm not found next to ${binary} (looked in ${npmDir})`);
  return { binary, npmDir };
}

/** Lays out node like the official node images (/usr/local) and distroless (/nodejs/bin). */
function addNode(rootfs: string): void {
  const { binary, npmDir } = hostNode();
  const bin = path.join(rootfs, 'usr/local/bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(path.join(rootfs, 'usr/local/lib/node_modules'), { recursive: true });
  mkdirSync(path.join(rootfs, 'nodejs/bin'), { recursive: true });
  copyFileSync(binary, path.join(bin, 'node'));
  cpSync(npmDir, path.join(rootfs, 'usr/local/lib/node_modules/npm'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(bin, 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(bin, 'npx'));
  symlinkSync('/usr/local/bin/node', path.join(rootfs, 'nodejs/bin/node'));
  if (existsSync(CA_BUNDLE)) {
    mkdirSync(path.join(rootfs, path.dirname(CA_BUNDLE)), { recursive: true });
    copyFileSync(CA_BUNDLE, path.join(rootfs, CA_BUNDLE));
  }
}

async function makeRootfsTarball(cacheDir: string, tarball: string): Promise<void> {
  requireProgram('debootstrap', ['--version']);
  const rootfs = path.join(cacheDir, `rootfs-${process.pid}`);
  rmSync(rootfs, { recursive: true, force: true });
  try {
    await run('debootstrap', ['--variant=minbase', SUITE, rootfs, aptMirror(readAptSources())], {
      timeoutMs: 20 * 60_000,
    });
    for (const dir of TRIMMED_DIRS) rmSync(path.join(rootfs, dir), { recursive: true, force: true });
    addNode(rootfs);
    const partial = `${tarball}.partial`;
    await run('tar', ['--numeric-owner', '-C', rootfs, '-cf', partial, '.']);
    renameSync(partial, tarball);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

function imageNodeVersion(): string | undefined {
  try {
    return capture('podman', [
      'image',
      'inspect',
      '--format',
      `{{index .Config.Labels "${VERSION_LABEL}"}}`,
      LOCAL_BASE_IMAGE,
    ]);
  } catch {
    return undefined;
  }
}

/** Idempotent: reuses the image, else the cached tarball under tmp/images, else debootstraps. */
export async function ensureBaseImage(options: BaseImageOptions): Promise<string> {
  const nodeVersion = process.version;
  if (!options.rebuild && imageNodeVersion() === nodeVersion) {
    logLine(`${LOCAL_BASE_IMAGE} is up to date (node ${nodeVersion})`);
    return LOCAL_BASE_IMAGE;
  }
  const cacheDir = path.join(options.workspaceRoot, 'tmp', 'images');
  mkdirSync(cacheDir, { recursive: true });
  const tarball = path.join(cacheDir, `node-base-${SUITE}-node${nodeVersion}.tar`);
  if (options.rebuild || !existsSync(tarball)) await makeRootfsTarball(cacheDir, tarball);
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
    `LABEL ${VERSION_LABEL}=${nodeVersion}`,
  ];
  await run(
    'podman',
    ['import', ...changes.flatMap((change) => ['--change', change]), tarball, LOCAL_BASE_IMAGE],
    { timeoutMs: 10 * 60_000 },
  );
  return LOCAL_BASE_IMAGE;
}
