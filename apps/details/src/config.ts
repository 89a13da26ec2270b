import {
  commonConfig,
  ConfigError,
  intVar,
  loadConfig,
  type Env,
  type EnvReader,
} from '@learnathon/service-runtime';
import { parseCidrList, type Cidr } from './cidr';

/** Sent as `x-service-version`; details has a single version. */
export const DETAILS_VERSION = 'v1';

/** A comma-separated CIDR list; a bad entry fails start-up naming the variable and the entry. */
function cidrListVar(name: string): EnvReader<Cidr[]> {
  return (env) => {
    try {
      return parseCidrList(env[name] ?? '');
    } catch (error) {
      throw new ConfigError(
        `${name} must be a comma-separated list of CIDRs like 10.0.0.0/8 or fd00::/8: ${(error as Error).message}`,
      );
    }
  };
}

export function loadDetailsConfig(env: Env = process.env) {
  const config = loadConfig(
    {
      ...commonConfig(4000),
      /** Covers the whole lookup: DNS, every redirect hop and reading the body. */
      timeoutMs: intVar('DETAILS_TIMEOUT_MS', 5_000, { min: 100, max: 60_000 }),
      /** Bytes of the final body read (for the title); 0 reads headers only. Bounds memory per request. */
      maxBodyBytes: intVar('DETAILS_MAX_BODY_BYTES', 512 * 1024, { min: 0, max: 16 * 1024 * 1024 }),
      maxRedirects: intVar('DETAILS_MAX_REDIRECTS', 5, { min: 0, max: 20 }),
      /** Denied in addition to the built-in link-local and metadata ranges. */
      denyCidrs: cidrListVar('DETAILS_DENY_CIDRS'),
      /** Allowed even when denied by default or by DETAILS_DENY_CIDRS: allow wins. */
      allowCidrs: cidrListVar('DETAILS_ALLOW_CIDRS'),
    },
    env,
  );
  return { ...config, version: DETAILS_VERSION };
}

export type DetailsConfig = ReturnType<typeof loadDetailsConfig>;
