import { parseCommand, parseDuration, parseSteps, UsageError, USAGE } from './args';

const parse = (args: string) => parseCommand(args.split(' ').filter(Boolean));
const base = '--service pinger --from pinger-v1 --to pinger-v2';

describe('parseCommand', () => {
  it('reads one step without analysis', () => {
    expect(parse(`${base} --weight 5`)).toMatchObject({
      command: 'move',
      kind: 'step',
      steps: [5],
      analysis: undefined,
      namespace: 'learnathon',
      dryRun: false,
    });
  });

  it('reads a plan with its analysis defaults', () => {
    expect(parse(`${base} --steps 5,25,50,100 --interval 30s`)).toMatchObject({
      kind: 'plan',
      steps: [5, 25, 50, 100],
      analysis: {
        intervalMs: 30_000,
        source: 'app',
        prometheusUrl: 'http://127.0.0.1:9090',
        maxErrorRatio: 0.01,
        maxP99Ms: 500,
        minRequests: 20,
        maxInconclusive: 3,
      },
    });
  });

  it('reads a rollback, status, thresholds and Kubernetes options', () => {
    expect(parse(`${base} --rollback --context kind-x --namespace ns`)).toMatchObject({
      kind: 'rollback',
      steps: [0],
      context: 'kind-x',
      namespace: 'ns',
    });
    expect(parse('status --json')).toEqual({
      command: 'status',
      namespace: 'learnathon',
      context: undefined,
      json: true,
      waitTimeoutMs: 180_000,
    });
    expect(
      parse(
        `${base} --steps 50,100 --source envoy --max-error-ratio 0.05 --max-p99 1s --min-requests 5 --prometheus http://127.0.0.1:9/`,
      ),
    ).toMatchObject({
      analysis: {
        source: 'envoy',
        maxErrorRatio: 0.05,
        maxP99Ms: 1000,
        minRequests: 5,
        prometheusUrl: 'http://127.0.0.1:9',
      },
    });
    expect(parse('--help')).toEqual({ command: 'help' });
  });

  it.each([
    [`${base} --weight 101`, /--weight must be whole percentages from 0 to 100, got '101'/],
    [`${base} --weight -1`, /--weight/],
    [`${base} --steps 5,50,25`, /--steps must rise, got 50 then 25/],
    [`${base} --steps 5,5`, /--steps must rise/],
    [`${base} --steps 5,x`, /--steps must be whole percentages/],
    [
      '--service pinger --from pinger-v1 --to pinger-v1 --weight 5',
      /--from and --to must differ, both are 'pinger-v1'/,
    ],
    [
      '--service pinger --from details-v1 --to pinger-v2 --weight 5',
      /--from must name a version of pinger as pinger-VERSION/,
    ],
    ['--from pinger-v1 --to pinger-v2 --weight 5', /--service is required/],
    [`${base}`, /say how far to move/],
    [`${base} --weight 5 --rollback`, /use one of --weight, --rollback, not several/],
    [`${base} --weight 5 --interval 1m`, /--interval belongs to a plan/],
    [`${base} --steps 5 --interval 2x`, /--interval must be a duration like 30s/],
    [`${base} --steps 5 --source statsd`, /--source must be one of app, envoy, got 'statsd'/],
    [`${base} --steps 5 --max-error-ratio 2`, /--max-error-ratio must be a number from 0 to 1, got '2'/],
    [`${base} --steps 5 --min-requests 1.5`, /--min-requests must be a whole number/],
    [`${base} --steps 5 --prometheus ftp://x`, /--prometheus must be an http\(s\) URL/],
    [`${base} --weight 5 --bogus`, /Unknown option '--bogus'/],
    ['status --weight 5', /status only reads: drop --weight/],
    ['promote', /the only command is 'status', got 'promote'/],
  ])('rejects %s', (args, message) => {
    expect(() => parse(args)).toThrow(UsageError);
    expect(() => parse(args)).toThrow(message);
  });
});

describe('parseDuration and parseSteps', () => {
  it('reads ms, s, m and h', () => {
    expect([
      parseDuration('x', '500ms'),
      parseDuration('x', '1.5s'),
      parseDuration('x', '2m'),
      parseDuration('x', '1h'),
    ]).toEqual([500, 1500, 120_000, 3_600_000]);
    expect(() => parseDuration('--interval', '0s')).toThrow("--interval must be longer than zero, got '0s'");
  });
  it('allows 0 and 100 at the ends', () => {
    expect(parseSteps('0,100')).toEqual([0, 100]);
  });
});

it('documents every option it parses', () => {
  for (const option of [
    '--service',
    '--from',
    '--to',
    '--weight',
    '--steps',
    '--interval',
    '--rollback',
    '--dry-run',
    '--prometheus',
    '--source',
    '--max-error-ratio',
    '--max-p99',
    '--min-requests',
    '--max-inconclusive',
    '--context',
    '--namespace',
    '--wait-timeout',
    '--json',
    '--help',
  ])
    expect(USAGE).toContain(option);
});
