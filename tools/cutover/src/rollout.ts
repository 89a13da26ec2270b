import type { Analysis } from './analysis';
import { UsageError, type AnalysisOptions, type MoveCommand } from './args';
import { lineDiff } from './diff';
import { ANNOTATION_PREFIX, configHash, type FrontendCluster } from './kube';
import type { Outcome, Reporter } from './report';
import { definedClusters, describeSplit, splitFor, splitOf, type Split } from './split';

/** Renders and validates the frontend's Envoy config (the mesh library, see envoy-config.ts). */
export interface FrontendRenderer {
  /** Services whose traffic the renderer can split between versions. */
  readonly splittable: readonly string[];
  /** envoy.json for the frontend with `split` for `service`, keeping what `current` has otherwise (e.g. tracing). */
  render(current: unknown, service: string, split: Split): string;
  /** Problems that would make Envoy reject the config; empty when it is valid. */
  validate(text: string): string[];
}

export type ClusterApi = Pick<
  FrontendCluster,
  | 'checkPermissions'
  | 'readFrontendConfig'
  | 'updateFrontendConfig'
  | 'serviceExists'
  | 'frontendPods'
  | 'podConfigHash'
  | 'nudgePod'
>;

export interface RolloutDeps {
  cluster: ClusterApi;
  renderer: FrontendRenderer;
  reporter: Reporter;
  analyse: (cluster: string, options: AnalysisOptions) => Promise<Analysis>;
  checkPrometheus: (url: string) => Promise<void>;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Recorded on the ConfigMap as who made the change. */
  who: string;
  /** Dry run output: the rendered config and the diff. */
  printConfig: (text: string) => void;
  printDiff: (text: string) => void;
  /** A pod's config hash as Prometheus scraped it, for when the pod proxy can't reach its sidecar. */
  scrapedConfigHash?: (pod: string) => Promise<string | undefined>;
  pollMs?: number;
  progressMs?: number;
  now?: () => number;
}

export interface RolloutResult {
  outcome: Outcome;
  exitCode: number;
  message: string;
  /** Weight of `to` that the last written ConfigMap holds; null if nothing was written. */
  weight: number | null;
}

class Interrupted extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Interrupted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Interrupted());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function parseConfig(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `ConfigMap envoy-frontend holds no valid JSON in envoy.json: ${(error as Error).message}`,
    );
  }
}

export async function runRollout(command: MoveCommand, deps: RolloutDeps): Promise<RolloutResult> {
  const { cluster, renderer, reporter, signal } = deps;
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 2_000;
  const started = now();
  const elapsedS = () => (now() - started) / 1000;
  const { service, from, to, steps } = command;

  if (!renderer.splittable.includes(service))
    throw new UsageError(
      `--service ${service}: the mesh splits traffic by version only for ${renderer.splittable.join(', ')}`,
    );

  // Everything that can be wrong with the input is found before the first write.
  const current = await cluster.readFrontendConfig();
  const currentConfig = parseConfig(current.text);
  const currentSplit = (() => {
    try {
      return splitOf(currentConfig, service);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const defined = definedClusters(currentConfig);
  if (!(from in currentSplit) && !defined.includes(from))
    throw new UsageError(
      `--from ${from}: the frontend's config has no such cluster (it sends ${service} to ${describeSplit(currentSplit)})`,
    );
  if (!(await cluster.serviceExists(`${to}-service`)))
    throw new UsageError(
      `--to ${to}: Service ${to}-service does not exist in namespace '${command.namespace}': deploy ${to} first`,
    );
  const rendered = steps.map((weight) => {
    let text: string;
    try {
      text = renderer.render(currentConfig, service, splitFor(from, to, weight));
    } catch (error) {
      throw new UsageError(
        `cannot render the frontend config for ${to} at ${weight}%: ${(error as Error).message}`,
      );
    }
    const problems = renderer.validate(text);
    if (problems.length > 0)
      throw new UsageError(
        `the rendered config for ${to} at ${weight}% is invalid, nothing applied:\n  ${problems.join('\n  ')}`,
      );
    return text;
  });

  if (command.dryRun) {
    let previous = current.text;
    rendered.forEach((text, index) => {
      deps.printDiff(
        lineDiff(previous, text, {
          from: index === 0 ? 'ConfigMap envoy-frontend' : `step ${index}`,
          to: `step ${index + 1} (${to} ${steps[index]}%)`,
        }) || `step ${index + 1}: no change\n`,
      );
      previous = text;
    });
    deps.printConfig(rendered[rendered.length - 1] as string);
    return {
      outcome: 'applied',
      exitCode: 0,
      message: 'dry run: rendered and validated, nothing written',
      weight: null,
    };
  }

  if (command.analysis) await deps.checkPrometheus(command.analysis.prometheusUrl);
  await cluster.checkPermissions();

  reporter.emit({ event: 'plan', service, from, to, steps, current: currentSplit });
  let written: number | null = null;

  const write = async (weight: number, index: number, of: number) => {
    const split = splitFor(from, to, weight);
    const { text, attempts } = await cluster.updateFrontendConfig((fresh) => ({
      text: renderer.render(parseConfig(fresh.text), service, split),
      annotations: {
        [`${ANNOTATION_PREFIX}/changed-by`]: deps.who,
        [`${ANNOTATION_PREFIX}/changed-at`]: new Date(now()).toISOString(),
        [`${ANNOTATION_PREFIX}/change`]: `${service}: ${describeSplit(split)} (was ${describeSplit(splitOf(parseConfig(fresh.text), service))})`,
      },
    }));
    written = weight;
    const hash = configHash(text);
    reporter.emit({ event: 'step', index, of, weight, split, configHash: hash, attempts });
    return hash;
  };

  const converge = async (hash: string) => {
    const waitStarted = now();
    let nudged = false;
    for (;;) {
      const pods = await cluster.frontendPods();
      if (pods.length === 0)
        throw new Error(`no running frontend pods (app=frontend) in namespace '${command.namespace}'`);
      let scraped = 0;
      const hashes = await Promise.all(
        pods.map((pod) =>
          cluster.podConfigHash(pod).catch(async () => {
            const scrapedHash = await deps.scrapedConfigHash?.(pod).catch(() => undefined);
            if (scrapedHash !== undefined) scraped++;
            return scrapedHash;
          }),
        ),
      );
      const behind = pods.filter((_, i) => hashes[i] !== hash);
      const waited = (now() - waitStarted) / 1000;
      if (behind.length === 0)
        return reporter.emit({ event: 'converged', configHash: hash, pods: pods.length, elapsedS: waited });
      if (now() - waitStarted > command.waitTimeoutMs)
        throw new Error(
          `frontend pods ${behind.join(', ')} still do not run config ${hash.slice(0, 12)} after ${Math.round(waited)}s (--wait-timeout)`,
        );
      const notes: string[] = [];
      if (!nudged) {
        await Promise.all(behind.map((pod) => cluster.nudgePod(pod, hash)));
        nudged = true;
        notes.push(
          'the kubelet refreshes ConfigMap volumes about once a minute; annotated the pods so it resyncs them sooner',
        );
      }
      if (scraped > 0)
        notes.push(`${scraped} pod(s) read from Prometheus: the pod proxy could not reach their sidecar`);
      const note = notes.join('; ') || undefined;
      reporter.emit({
        event: 'waiting',
        configHash: hash,
        ready: pods.length - behind.length,
        pods: pods.length,
        elapsedS: waited,
        ...(note ? { note } : {}),
      });
      await sleep(pollMs, signal);
    }
  };

  const rollback = async (reason: string): Promise<RolloutResult> => {
    reporter.emit({ event: 'rollback', reason });
    await converge(await write(0, 1, 1));
    return {
      outcome: 'rolled-back',
      exitCode: 1,
      message: `${reason}; all ${service} traffic is back on ${from}`,
      weight: 0,
    };
  };

  const judgeStep = async (
    analysis: AnalysisOptions,
    step: number,
    weight: number,
  ): Promise<'healthy' | string> => {
    let inconclusive = 0;
    for (;;) {
      const checkAt = now() + analysis.intervalMs;
      const progressMs = deps.progressMs ?? Math.max(5_000, Math.min(30_000, analysis.intervalMs / 4));
      while (now() < checkAt) {
        const live = await deps.analyse(to, analysis).then(
          (a) => a.summary,
          () => undefined,
        );
        reporter.emit({
          event: 'analysis-wait',
          step,
          weight,
          nextCheckInS: Math.max(0, (checkAt - now()) / 1000),
          ...(live ? { live } : {}),
        });
        await sleep(Math.min(progressMs, Math.max(0, checkAt - now())), signal);
      }
      // Prometheus failing mid-plan is no evidence either way: inconclusive, so it ends in a rollback if it lasts.
      const result = await deps.analyse(to, analysis).catch((error: unknown): Analysis => ({
        verdict: 'inconclusive',
        measurements: [],
        summary: (error as Error).message,
      }));
      inconclusive = result.verdict === 'inconclusive' ? inconclusive + 1 : 0;
      reporter.emit({
        event: 'analysis',
        step,
        weight,
        verdict: result.verdict,
        inconclusiveInARow: inconclusive,
        measurements: result.measurements.map(({ name, query, value, judgement }) => ({
          name,
          query,
          value: value ?? null,
          judgement,
        })),
      });
      if (result.verdict === 'healthy') return 'healthy';
      if (result.verdict === 'failed') return `${to} failed the check at ${weight}%: ${result.summary}`;
      if (inconclusive >= analysis.maxInconclusive)
        return `${to} stayed inconclusive at ${weight}% for ${inconclusive} checks in a row (--max-inconclusive): ${result.summary}`;
    }
  };

  const finish = (result: RolloutResult): RolloutResult => {
    reporter.emit({
      event: 'summary',
      outcome: result.outcome,
      message: result.message,
      weight: result.weight,
      split: result.weight === null ? null : splitFor(from, to, result.weight),
      elapsedS: elapsedS(),
    });
    return result;
  };

  try {
    for (const [index, weight] of steps.entries()) {
      if (signal.aborted) throw new Interrupted();
      await converge(await write(weight, index + 1, steps.length));
      if (!command.analysis) continue;
      const verdict = await judgeStep(command.analysis, index + 1, weight);
      if (verdict !== 'healthy') return finish(await rollback(verdict));
    }
  } catch (error) {
    if (error instanceof Interrupted) {
      const where =
        written === null
          ? `nothing was written: traffic stays at ${describeSplit(currentSplit)}`
          : `traffic stays where the last written step put it: ${describeSplit(splitFor(from, to, written))} (pods may not all run it yet)`;
      return finish({
        outcome: 'interrupted',
        exitCode: 130,
        message: `interrupted; ${where}`,
        weight: written,
      });
    }
    if (error instanceof UsageError) throw error;
    const where =
      written === null
        ? 'nothing was written'
        : `the ConfigMap holds ${describeSplit(splitFor(from, to, written))}`;
    return finish({
      outcome: 'failed',
      exitCode: 3,
      message: `${(error as Error).message}; ${where}`,
      weight: written,
    });
  }
  const last = steps[steps.length - 1] as number;
  return finish(
    command.kind === 'plan'
      ? {
          outcome: 'promoted',
          exitCode: 0,
          message: `every step passed; ${describeSplit(splitFor(from, to, last))}`,
          weight: last,
        }
      : { outcome: 'applied', exitCode: 0, message: describeSplit(splitFor(from, to, last)), weight: last },
  );
}
