import { existsSync } from 'node:fs';

/** Debian's package (`apt-get install prometheus`); overridable for other systems. */
export const PROMETHEUS_BINARY = process.env['PROMETHEUS_BINARY'] ?? '/usr/bin/prometheus';
export const PROMTOOL_BINARY = process.env['PROMTOOL_BINARY'] ?? '/usr/bin/promtool';

/** Fails with the install command when a program the tests need is missing. */
export function requireBinary(file: string, debianPackage: string): string {
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: install it with \`sudo apt-get install -y ${debianPackage}\` (or run tools/setup/install-system-deps.sh)`,
    );
  return file;
}
