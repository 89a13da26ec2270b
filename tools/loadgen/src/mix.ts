/**
 * The request mix: which routes get hit and how often, as `[METHOD ]PATH:WEIGHT` entries.
 * Weights are relative (`/:1,/ping/stats:6` means 1 in 7 requests goes to `/`).
 */

export const MIX_METHODS = ['GET', 'POST'] as const;
export type MixMethod = (typeof MIX_METHODS)[number];

export interface MixEntry {
  method: MixMethod;
  path: string;
  weight: number;
}

/** The UI page and the API routes the frontend serves, weighted like a user who mostly watches stats. */
export const DEFAULT_MIX = 'GET /:1,GET /ping/stats:6,GET /ping/urls:2,POST /url/info:1';

/** Bounds the request cycle every connection keeps in memory (at most MAX_ENTRIES * MAX_WEIGHT). */
export const MAX_MIX_ENTRIES = 20;
export const MAX_MIX_WEIGHT = 100;

/** A path goes verbatim into the HTTP request line: printable ASCII, no spaces. */
const REQUEST_PATH = /^\/[\x21-\x7e]*$/;
const WEIGHT = /^\d+$/;

export class MixError extends Error {}

/** Parses `"/:1,/ping/stats:6,POST /url/info:1"`; throws MixError saying which entry is wrong and why. */
export function parseMix(spec: string): MixEntry[] {
  const rawEntries = spec.split(',').map((entry) => entry.trim());
  if (rawEntries.every((entry) => entry === ''))
    throw new MixError('must list at least one entry, as in "/ping/stats:1"');
  if (rawEntries.length > MAX_MIX_ENTRIES)
    throw new MixError(`has ${rawEntries.length} entries, at most ${MAX_MIX_ENTRIES} are allowed`);
  const entries = rawEntries.map(parseEntry);
  rejectDuplicates(entries);
  return entries;
}

function parseEntry(raw: string): MixEntry {
  if (raw === '') throw new MixError('has an empty entry (check for a stray comma)');
  const colon = raw.lastIndexOf(':');
  if (colon < 0) throw new MixError(`entry '${raw}' needs a weight, as in '${raw}:1'`);
  const weight = parseWeight(raw, raw.slice(colon + 1).trim());
  const target = raw.slice(0, colon).trim();
  const space = target.indexOf(' ');
  const method = space < 0 ? 'GET' : target.slice(0, space).toUpperCase();
  const path = space < 0 ? target : target.slice(space + 1).trim();
  if (!isMixMethod(method))
    throw new MixError(`entry '${raw}' has method '${method}', expected one of ${MIX_METHODS.join(', ')}`);
  if (!REQUEST_PATH.test(path))
    throw new MixError(`entry '${raw}' needs a path starting with '/' and without spaces`);
  return { method, path, weight };
}

function parseWeight(raw: string, text: string): number {
  const weight = WEIGHT.test(text) ? Number(text) : Number.NaN;
  if (!(weight >= 1 && weight <= MAX_MIX_WEIGHT)) {
    throw new MixError(
      `entry '${raw}' needs a whole-number weight from 1 to ${MAX_MIX_WEIGHT}, got '${text}'`,
    );
  }
  return weight;
}

function isMixMethod(method: string): method is MixMethod {
  return (MIX_METHODS as readonly string[]).includes(method);
}

function rejectDuplicates(entries: MixEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = routeName(entry);
    if (seen.has(key)) throw new MixError(`lists '${key}' twice; give it one combined weight`);
    seen.add(key);
  }
}

export function routeName(entry: Pick<MixEntry, 'method' | 'path'>): string {
  return `${entry.method} ${entry.path}`;
}

/** Each entry's share of all requests, 0..1. */
export function mixShares(entries: MixEntry[]): Array<{ route: string; share: number }> {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  return entries.map((entry) => ({ route: routeName(entry), share: entry.weight / total }));
}

/**
 * One cycle of requests that honours the weights exactly, interleaved (smooth weighted
 * round-robin, as nginx does) so a short run or a single connection still sees the whole mix
 * rather than six `/ping/stats` in a row.
 */
export function mixCycle(entries: MixEntry[]): MixEntry[] {
  const divisor = entries.reduce((acc, entry) => greatestCommonDivisor(acc, entry.weight), 0);
  const weights = entries.map((entry) => entry.weight / divisor);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const current = weights.map(() => 0);
  const cycle: MixEntry[] = [];
  for (let step = 0; step < total; step++) {
    weights.forEach((weight, index) => (current[index] = (current[index] ?? 0) + weight));
    const picked = indexOfMax(current);
    current[picked] = (current[picked] ?? 0) - total;
    cycle.push(entries[picked] as MixEntry);
  }
  return cycle;
}

function indexOfMax(values: number[]): number {
  return values.reduce((best, value, index) => (value > (values[best] ?? -Infinity) ? index : best), 0);
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}
