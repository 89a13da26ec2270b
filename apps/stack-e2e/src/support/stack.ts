import { getJson as requestJson, type JsonRequestInit } from '@learnathon/process';

export { startLocalStack as startStack, type LocalStack as Stack } from '@learnathon/testing';

/** The e2e tests read answers as JSON objects. */
export const getJson = (url: string, init?: JsonRequestInit) =>
  requestJson<Record<string, unknown>>(url, init);

export const postJson = (url: string, body: string | object) =>
  getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
