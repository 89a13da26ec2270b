/**
 * The error `action` throws, when it is an instance of `type`; anything else fails the test with a
 * message saying what happened instead. For reading the detail of an expected refusal (a
 * ConfigError's problems, a UsageError's message) without a try/catch in every spec.
 */
export function errorThrownBy<T extends Error>(
  action: () => unknown,
  type: abstract new (...args: never[]) => T,
): T {
  try {
    action();
  } catch (error) {
    if (error instanceof type) return error;
    throw new Error(`expected a ${type.name}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
