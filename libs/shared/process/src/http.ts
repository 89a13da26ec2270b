import http from 'node:http';

/**
 * The status of one GET, or 0 when nothing answered (refused, reset, timed out). No connection
 * pool (`agent: false`): readiness polls must not keep sockets open to a process being started.
 */
export function httpStatus(url: string, timeoutMs = 1_000): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface JsonRequestInit extends RequestInit {
  /** Deadline for the whole exchange (default 10 s), so a silent server never hangs the caller. */
  timeoutMs?: number;
}

/**
 * One request whose answer must be JSON, whatever its status: the status and headers come back
 * with the parsed body. A body that is not JSON is an error that quotes its start.
 */
export async function getJson<T = unknown>(
  url: string,
  { timeoutMs = 10_000, ...init }: JsonRequestInit = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
  } catch {
    throw new Error(
      `${init.method ?? 'GET'} ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}
