import { startControlServer } from './control-server';
import type { ReloadRecord } from './supervisor';

const record = (result: ReloadRecord['result']): ReloadRecord => ({
  at: '2026-12-01T00:00:00.000Z',
  result,
  epoch: 1,
  configHash: 'cd'.repeat(32),
  message: result,
});

describe('control server', () => {
  it('reloads on POST /reload and maps the result to a status', async () => {
    const answers = [record('applied'), record('invalid'), record('failed'), undefined];
    const reload = jest.fn(async () => answers.shift());
    const server = await startControlServer(0, reload);
    try {
      const post = () => fetch(`http://127.0.0.1:${server.port}/reload`, { method: 'POST' });
      const applied = await post();
      expect(applied.status).toBe(200);
      expect(await applied.json()).toEqual(record('applied'));
      expect((await post()).status).toBe(422);
      expect((await post()).status).toBe(503);
      const stopping = await post();
      expect(stopping.status).toBe(503);
      expect(await stopping.json()).toMatchObject({ error: 'shutting_down' });
      expect(reload).toHaveBeenCalledTimes(4);
    } finally {
      await server.close();
    }
  });

  it('does not reload on GET or on another path', async () => {
    const reload = jest.fn(async () => record('applied'));
    const server = await startControlServer(0, reload);
    try {
      const get = await fetch(`http://127.0.0.1:${server.port}/reload`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect((await fetch(`http://127.0.0.1:${server.port}/quit`, { method: 'POST' })).status).toBe(404);
      expect(reload).not.toHaveBeenCalled();
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the reason when the reload itself throws', async () => {
    const server = await startControlServer(0, async () => {
      throw new Error('ENOENT: /etc/envoy/envoy.json');
    });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/reload`, { method: 'POST' });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: 'internal_error',
        message: 'ENOENT: /etc/envoy/envoy.json',
      });
    } finally {
      await server.close();
    }
  });
});
