import { parseArgs } from 'node:util';

export const SOURCES = ['app', 'envoy'] as const;
export type MetricSource = (typeof SOURCES)[number];

export const USAGE = `Usage:
  npx cutover --service pinger --from pinger-v1 --to pinger-v2 --weight 5
  npx cutover --service pinger --from pinger-v1 --to pinger-v2 --steps 5,25,50,100 --interval 2m
  npx cutover --service pinger --from pinger-v1 --to pinger-v2 --rollback
  npx cutover status

Moves the frontend's traffic to a service from one version to another by rewriting the frontend's
Envoy ConfigMap (envoy-frontend, key envoy.json), waiting until every frontend pod's sidecar runs
the new config, and, in a plan, judging the new version from Prometheus between steps. A failed
or repeatedly inconclusive check puts all traffic back on --from and exits 1.

Commands:
  (none)                   move traffic: one step (--weight), a plan (--steps) or back (--rollback)
  status                   the weights in force and the config hash each frontend pod runs

Traffic:
  --service NAME           the upstream whose traffic moves, as the frontend calls it (pinger)
  --from NAME              the version traffic moves away from, SERVICE-VERSION (pinger-v1)
  --to NAME                the version traffic moves to (pinger-v2); a version the config has never
                           routed to (pinger-v3) is added, and its Service NAME-service must exist
  --weight N               one step: send N% (0..100) to --to and the rest to --from; no analysis
  --steps A,B,...          a plan: rising weights (0..100) for --to, each judged before the next
  --interval DURATION      a plan's time per step, also the analysis window (default 2m; e.g. 30s, 5m)
  --rollback               send 100% to --from and 0% to --to
  --dry-run                render and validate only: the new envoy.json on stdout, the diff against
                           the ConfigMap in the cluster on stderr; nothing is written

Analysis (plans only):
  --prometheus URL         Prometheus HTTP API base (default http://127.0.0.1:9090, e.g. after
                           kubectl -n monitoring port-forward svc/prometheus 9090); every move
                           also reads a sidecar's config hash there when the pod proxy can't
  --source app|envoy       app: the services' own http_request_duration_seconds by service and
                           version, app routes only (default); envoy: the frontend sidecar's
                           envoy_cluster_upstream_rq* stats for the --to cluster, as Flagger does
  --max-error-ratio R      highest share of 5xx responses accepted, 0..1 (default 0.01)
  --max-p99 DURATION       highest p99 latency accepted (default 500ms)
  --min-requests N         fewer requests than this in the window is inconclusive (default 20)
  --max-inconclusive N     inconclusive checks in a row before rolling back (default 3)

Kubernetes:
  --context NAME           kubeconfig context (default: the current one)
  --namespace NS           the app's namespace (default learnathon)
  --wait-timeout DURATION  how long to wait for every frontend pod to run a new config (default 3m)

Output:
  --json                   JSON lines on stdout (progress events, then the summary) instead of text
  -h, --help               this text

Exit codes: 0 done (promoted, step applied, status shown); 1 analysis failed or stayed inconclusive
and traffic was rolled back; 2 bad input, nothing applied; 3 the cluster or Prometheus failed
(unreachable, forbidden, conflict that kept recurring, pods not converging); 130 interrupted.`;

/** Bad input: the message names what's wrong; nothing has been applied. */
export class UsageError extends Error {}

interface Common {
  namespace: string;
  context: string | undefined;
  json: boolean;
  waitTimeoutMs: number;
}

export interface AnalysisOptions {
  prometheusUrl: string;
  source: MetricSource;
  intervalMs: number;
  maxErrorRatio: number;
  maxP99Ms: number;
  minRequests: number;
  maxInconclusive: number;
}

export interface MoveCommand extends Common {
  command: 'move';
  service: string;
  from: string;
  to: string;
  /** Weights for `to`, in order; a single step or a rollback has one. */
  steps: number[];
  kind: 'step' | 'plan' | 'rollback';
  dryRun: boolean;
  /** Set for plans only: a single step or a rollback applies without judging. */
  analysis: AnalysisOptions | undefined;
  /** Also where sidecar config hashes are read when the pod proxy can't reach a sidecar. */
  prometheusUrl: string;
}

export interface StatusCommand extends Common {
  command: 'status';
}

export type Command = MoveCommand | StatusCommand | { command: 'help' };

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `500ms`, `30s`, `2m`, `1h` → milliseconds. */
export function parseDuration(name: string, text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new UsageError(`${name} must be a duration like 30s, 2m or 500ms, got '${text}'`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms <= 0) throw new UsageError(`${name} must be longer than zero, got '${text}'`);
  return ms;
}

function parseWeight(name: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > 100)
    throw new UsageError(`${name} must be whole percentages from 0 to 100, got '${text}'`);
  return Number(text);
}

function parseNumber(
  name: string,
  text: string,
  { min, max, integer }: { min: number; max: number; integer?: boolean },
): number {
  const value = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  )
    throw new UsageError(
      `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got '${text}'`,
    );
  return value;
}

/** Plan weights: each 0..100 and each higher than the one before. */
export function parseSteps(text: string): number[] {
  const steps = text.split(',').map((part) => parseWeight('--steps', part));
  for (let i = 1; i < steps.length; i++)
    if ((steps[i] as number) <= (steps[i - 1] as number))
      throw new UsageError(`--steps must rise, got ${steps[i - 1]} then ${steps[i]} in '${text}'`);
  return steps;
}

const VERSION_NAME = /^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/;

function versionName(option: string, value: string | undefined, service: string): string {
  if (!value) throw new UsageError(`${option} is required (e.g. ${option} ${service}-v1)`);
  if (!VERSION_NAME.test(value) || !value.startsWith(`${service}-`) || value === `${service}-`)
    throw new UsageError(
      `${option} must name a version of ${service} as ${service}-VERSION (e.g. ${service}-v2), got '${value}'`,
    );
  return value;
}

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        service: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        weight: { type: 'string' },
        steps: { type: 'string' },
        interval: { type: 'string' },
        rollback: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
        source: { type: 'string', default: 'app' },
        'max-error-ratio': { type: 'string', default: '0.01' },
        'max-p99': { type: 'string', default: '500ms' },
        'min-requests': { type: 'string', default: '20' },
        'max-inconclusive': { type: 'string', default: '3' },
        context: { type: 'string' },
        namespace: { type: 'string', default: 'learnathon' },
        'wait-timeout': { type: 'string', default: '3m' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { command: 'help' };
  if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'status'))
    throw new UsageError(`the only command is 'status', got '${positionals.join(' ')}'`);
  if (!VERSION_NAME.test(v.namespace))
    throw new UsageError(`--namespace must be a DNS label, got '${v.namespace}'`);
  const common: Common = {
    namespace: v.namespace,
    context: v.context,
    json: v.json,
    waitTimeoutMs: parseDuration('--wait-timeout', v['wait-timeout']),
  };
  if (positionals[0] === 'status') {
    const moving = (['service', 'from', 'to', 'weight', 'steps', 'interval'] as const).filter(
      (key) => v[key] !== undefined,
    );
    if (moving.length > 0 || v.rollback || v['dry-run'])
      throw new UsageError(
        `status only reads: drop ${moving.map((key) => `--${key}`).join(', ') || '--rollback/--dry-run'}`,
      );
    return { command: 'status', ...common };
  }

  if (!v.service)
    throw new UsageError('--service is required (e.g. --service pinger), or run `cutover status`');
  if (!VERSION_NAME.test(v.service))
    throw new UsageError(`--service must be a DNS label, got '${v.service}'`);
  const from = versionName('--from', v.from, v.service);
  const to = versionName('--to', v.to, v.service);
  if (from === to) throw new UsageError(`--from and --to must differ, both are '${from}'`);

  const modes = [
    v.weight !== undefined && '--weight',
    v.steps !== undefined && '--steps',
    v.rollback && '--rollback',
  ].filter(Boolean);
  if (modes.length !== 1)
    throw new UsageError(
      modes.length === 0
        ? 'say how far to move: --weight N, --steps A,B,... or --rollback'
        : `use one of ${modes.join(', ')}, not several`,
    );
  if (v.interval !== undefined && v.steps === undefined)
    throw new UsageError(
      '--interval belongs to a plan (--steps); a single step or a rollback has no analysis',
    );

  const kind = v.steps !== undefined ? 'plan' : v.rollback ? 'rollback' : 'step';
  const steps =
    kind === 'plan'
      ? parseSteps(v.steps as string)
      : kind === 'rollback'
        ? [0]
        : [parseWeight('--weight', v.weight as string)];
  return {
    command: 'move',
    ...common,
    service: v.service,
    from,
    to,
    steps,
    kind,
    dryRun: v['dry-run'],
    analysis: kind === 'plan' ? parseAnalysis(v) : undefined,
    prometheusUrl: parsePrometheusUrl(v['prometheus']),
  };
}

function parsePrometheusUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new UsageError(`--prometheus must be an http(s) URL, got '${text}'`);
  return text.replace(/\/+$/, '');
}

function parseAnalysis(v: Record<string, string | boolean | undefined>): AnalysisOptions {
  const source = v['source'] as string;
  if (!(SOURCES as readonly string[]).includes(source))
    throw new UsageError(`--source must be one of ${SOURCES.join(', ')}, got '${source}'`);
  return {
    prometheusUrl: parsePrometheusUrl(v['prometheus'] as string),
    source: source as MetricSource,
    intervalMs: parseDuration('--interval', (v['interval'] as string | undefined) ?? '2m'),
    maxErrorRatio: parseNumber('--max-error-ratio', v['max-error-ratio'] as string, { min: 0, max: 1 }),
    maxP99Ms: parseDuration('--max-p99', v['max-p99'] as string),
    minRequests: parseNumber('--min-requests', v['min-requests'] as string, {
      min: 1,
      max: 1e9,
      integer: true,
    }),
    maxInconclusive: parseNumber('--max-inconclusive', v['max-inconclusive'] as string, {
      min: 1,
      max: 100,
      integer: true,
    }),
  };
}
