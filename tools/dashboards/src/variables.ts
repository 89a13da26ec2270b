import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasource';

export interface LabelVariableOptions {
  name: string;
  label: string;
  /** A series selector whose values of `labelName` become the choices. */
  selector: string;
  labelName: string;
  /** The selection when the dashboard opens; without one, "All" (which then must be allowed). */
  current?: string;
  /** Several values at once, with an "All" that matches every value (`.*`). */
  multiWithAll?: boolean;
}

/**
 * A dropdown filled from Prometheus (`label_values(selector, label)`), refreshed with the time
 * range so a version that started a minute ago shows up.
 */
export function labelVariable(options: LabelVariableOptions): QueryVariableBuilder {
  if (options.current === undefined && !options.multiWithAll)
    throw new Error(`variable ${options.name} needs a default value or "All"`);
  const query = `label_values(${options.selector}, ${options.labelName})`;
  const variable = new QueryVariableBuilder(options.name)
    .label(options.label)
    .datasource(PROMETHEUS)
    .query({ query, refId: options.name })
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(options.multiWithAll ?? false)
    .includeAll(options.multiWithAll ?? false);
  if (options.multiWithAll) variable.allValue('.*');
  const current = options.current ?? '$__all';
  return variable.current({ text: current, value: current });
}
