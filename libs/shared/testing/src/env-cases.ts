/**
 * Flattens a table of bad values keyed by variable into the `[variable, value]` rows `it.each`
 * takes, so a config spec lists each variable once with every value it must refuse.
 */
export function envCases(table: Readonly<Record<string, readonly string[]>>): [string, string][] {
  return Object.entries(table).flatMap(([name, values]) =>
    values.map((value): [string, string] => [name, value]),
  );
}
