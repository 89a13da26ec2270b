import { startTracing, type Tracing } from '@learnathon/tracing';
import { trace } from '@opentelemetry/api';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from './logger';

describe('createLogger', () => {
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ service: 'demo', version: 'v9' }, {});
  });
  afterAll(() => tracing.shutdown());

  it('writes one JSON object per event: level by name, ISO time, service and version', () => {
    const { logger, lines } = captureLogs((destination) =>
      createLogger({ service: 'demo', version: 'v9', level: 'info', destination }),
    );
    logger.info({ port: 3000 }, 'listening');
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'demo',
        version: 'v9',
        port: 3000,
        msg: 'listening',
      },
    ]);
  });

  it('drops events below its level', () => {
    const { logger, lines } = captureLogs((destination) =>
      createLogger({ service: 'demo', version: 'v9', level: 'warn', destination }),
    );
    logger.info('routine');
    logger.warn('worth a look');
    expect(lines().map((line) => line['msg'])).toEqual(['worth a look']);
  });

  it('carries the ids of the active span, so a line leads to its trace', () => {
    const { logger, lines } = captureLogs((destination) =>
      createLogger({ service: 'demo', version: 'v9', level: 'info', destination }),
    );
    const ids = trace.getTracer('logger-spec').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(outside).not.toHaveProperty('trace_id');
  });
});
