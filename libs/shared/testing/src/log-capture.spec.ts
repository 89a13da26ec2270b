import { captureLogs, type LogDestination } from './log-capture';

/** A minimal logger writing JSON lines, standing in for service-runtime's `createLogger`. */
const jsonLogger = (destination: LogDestination) => ({
  info: (msg: string) => destination.write(`${JSON.stringify({ msg })}\n`),
  raw: (text: string) => destination.write(text),
});

describe('captureLogs', () => {
  it('hands the factory a destination and parses every JSON line written to it', () => {
    const captured = captureLogs(jsonLogger);
    captured.logger.info('one');
    captured.logger.raw('{"msg":"two"}\n{"msg":"three"}\n');
    expect(captured.lines().map((line) => line['msg'])).toEqual(['one', 'two', 'three']);
  });

  it('starts empty and keeps each capture separate', () => {
    captureLogs(jsonLogger).logger.info('elsewhere');
    expect(captureLogs(jsonLogger).lines()).toEqual([]);
  });
});
