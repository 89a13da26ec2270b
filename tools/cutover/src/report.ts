/**
 * Everything the tool tells its user, as events: printed as text lines for people, or as JSON
 * lines (`--json`) for scripts. Text goes to `write`, a function so tests can capture it.
 */
export type Event =
  | {
      event: 'plan';
      service: string;
      from: string;
      to: string;
      steps: number[];
      current: Record<string, number>;
    }
  | {
      event: 'step';
      index: number;
      of: number;
      weight: number;
      split: Record<string, number>;
      configHash: string;
      attempts: number;
    }
  | { event: 'waiting'; configHash: string; ready: number; pods: number; elapsedS: number; note?: string }
  | { event: 'converged'; configHash: string; pods: number; elapsedS: number }
  | { event: 'analysis-wait'; step: number; weight: number; nextCheckInS: number; live?: string }
  | {
      event: 'analysis';
      step: number;
      weight: number;
      verdict: string;
      inconclusiveInARow: number;
      measurements: Array<{ name: string; query: string; value: number | null; judgement: string }>;
    }
  | { event: 'rollback'; reason: string }
  | {
      event: 'summary';
      outcome: Outcome;
      message: string;
      weight: number | null;
      split: Record<string, number> | null;
      elapsedS: number;
    }
  | {
      event: 'status';
      split: Record<string, number>;
      configHash: string;
      changedBy?: string;
      changedAt?: string;
      change?: string;
      pods: Array<{ pod: string; configHash: string | null; current: boolean; error?: string }>;
    };

export type Outcome = 'promoted' | 'applied' | 'rolled-back' | 'interrupted' | 'failed' | 'status';

export interface Reporter {
  emit(event: Event): void;
}

const short = (hash: string) => hash.slice(0, 12);
const split = (weights: Record<string, number>) =>
  Object.entries(weights)
    .map(([cluster, weight]) => `${cluster} ${weight}%`)
    .join(' / ');
const seconds = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;

export function textLine(event: Event): string {
  switch (event.event) {
    case 'plan':
      return `cutover ${event.service}: ${event.from} -> ${event.to}, steps ${event.steps.map((w) => `${w}%`).join(', ')} (now ${split(event.current)})`;
    case 'step':
      return `step ${event.index}/${event.of}: ${split(event.split)} written to ConfigMap envoy-frontend (config ${short(event.configHash)}${event.attempts > 1 ? `, after ${event.attempts - 1} conflict(s) re-read` : ''})`;
    case 'waiting':
      return `  waiting: ${event.ready}/${event.pods} frontend pods run config ${short(event.configHash)} after ${seconds(event.elapsedS)}${event.note ? ` (${event.note})` : ''}`;
    case 'converged':
      return `  all ${event.pods} frontend pods run config ${short(event.configHash)} (${seconds(event.elapsedS)})`;
    case 'analysis-wait':
      return `  step ${event.step} at ${event.weight}%: next check in ${seconds(event.nextCheckInS)}${event.live ? `; live: ${event.live}` : ''}`;
    case 'analysis':
      return [
        `  check at ${event.weight}%: ${event.verdict.toUpperCase()}${event.verdict === 'inconclusive' ? ` (${event.inconclusiveInARow} in a row)` : ''}`,
        ...event.measurements.map((m) => `    ${m.name}: ${m.judgement}\n      ${m.query}`),
      ].join('\n');
    case 'rollback':
      return `rolling back: ${event.reason}`;
    case 'summary':
      return `${event.outcome.toUpperCase()}: ${event.message} (${seconds(event.elapsedS)})`;
    case 'status':
      return [
        `weights in force (ConfigMap envoy-frontend): ${split(event.split)}, config ${short(event.configHash)}`,
        ...(event.changedAt
          ? [`last change: ${event.change ?? '?'} by ${event.changedBy ?? '?'} at ${event.changedAt}`]
          : []),
        ...event.pods.map(
          (pod) =>
            `  ${pod.pod}: ${pod.configHash ? short(pod.configHash) : 'unknown'} ${pod.current ? '(current)' : pod.error ? `(${pod.error})` : '(OLD config)'}`,
        ),
      ].join('\n');
  }
}

export function createReporter(json: boolean, write: (text: string) => void): Reporter {
  return { emit: (event) => write(`${json ? JSON.stringify(event) : textLine(event)}\n`) };
}
