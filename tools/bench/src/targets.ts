import type { ScenarioId, ScenarioResult, StartupResult, TargetCheck } from './types';

const MB = 1024 * 1024;

interface TargetInput {
  scenarios: readonly ScenarioResult[];
  startups: readonly StartupResult[];
}

interface TargetDefinition {
  id: string;
  description: string;
  comparison: TargetCheck['comparison'];
  threshold: number;
  unit: string;
  measure: (input: TargetInput) => number | undefined;
}

const scenario = (input: TargetInput, id: ScenarioId) =>
  input.scenarios.find((candidate) => candidate.id === id);
const startup = (input: TargetInput, service: string) =>
  input.startups.find((candidate) => candidate.service === service);

function throughputTarget(id: ScenarioId, description: string, threshold: number): TargetDefinition {
  return {
    id: `${id}:throughput`,
    description,
    comparison: '>=',
    threshold,
    unit: '× baseline',
    measure: (input) => scenario(input, id)?.ratio,
  };
}

function p99Target(id: ScenarioId, threshold: number): TargetDefinition {
  return {
    id: `${id}:p99`,
    description: `${id}: p99 latency`,
    comparison: '<=',
    threshold,
    unit: 'ms',
    measure: (input) => scenario(input, id)?.result.p99Ms,
  };
}

function startupTargets(service: string): TargetDefinition[] {
  return [
    {
      id: `${service}:idle-rss`,
      description: `${service}: idle RSS (median of starts)`,
      comparison: '<=',
      threshold: 80,
      unit: 'MB',
      measure: (input) => {
        const bytes = startup(input, service)?.medianIdleRssBytes;
        return bytes === undefined ? undefined : bytes / MB;
      },
    },
    {
      id: `${service}:ready`,
      description: `${service}: spawn to /readyz 200 (median of starts)`,
      comparison: '<=',
      threshold: 1500,
      unit: 'ms',
      measure: (input) => startup(input, service)?.medianReadyMs,
    },
  ];
}

/** The performance targets, in the order the report lists them. */
export const TARGETS: readonly TargetDefinition[] = [
  throughputTarget('pinger-metrics', 'pinger GET /ping/stats with metrics: throughput', 0.9),
  throughputTarget(
    'pinger-tracing',
    'pinger GET /ping/stats with metrics and 100% tracing: throughput',
    0.75,
  ),
  throughputTarget('frontend-proxy', 'frontend GET /ping/stats (proxied to pinger): throughput', 0.35),
  p99Target('pinger-metrics', 10),
  p99Target('pinger-tracing', 10),
  // The p99 bars are for the routes at 20 connections; the /metrics scenario runs over one
  // connection, as Prometheus scrapes, and has its own bar below (its p99 is still reported).
  p99Target('frontend-proxy', 15),
  p99Target('frontend-ui', 15),
  {
    id: 'pinger-metrics-100-targets:p50',
    description: 'pinger GET /metrics with 100 targets: p50 latency',
    comparison: '<=',
    threshold: 5,
    unit: 'ms',
    measure: (input) => scenario(input, 'pinger-metrics-100-targets')?.result.p50Ms,
  },
  ...['pinger', 'frontend', 'details'].flatMap(startupTargets),
];

function isMet(measured: number, comparison: TargetCheck['comparison'], threshold: number): boolean {
  return comparison === '>=' ? measured >= threshold : measured <= threshold;
}

/** Pass or fail per target; a target whose scenario did not run (or gave no number) is "not measured", never a pass. */
export function evaluateTargets(
  input: TargetInput,
  targets: readonly TargetDefinition[] = TARGETS,
): TargetCheck[] {
  return targets.map(({ measure, ...target }) => {
    const measured = measure(input);
    const known = measured !== undefined && Number.isFinite(measured);
    const status = !known
      ? 'not measured'
      : isMet(measured, target.comparison, target.threshold)
        ? 'pass'
        : 'fail';
    return { ...target, measured: known ? measured : undefined, status };
  });
}
