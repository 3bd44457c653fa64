import { AppConfig } from '../config/configuration';
import { LogDestination } from './log-destination';

const config = (nodeEnv: string) => ({ nodeEnv }) as AppConfig;

describe('LogDestination', () => {
  it('writes synchronously under tests: no stream of its own', () => {
    expect(new LogDestination(config('test')).stream).toBeUndefined();
  });

  it('elsewhere buffers standard output asynchronously and writes it out at shutdown', () => {
    const destination = new LogDestination(config('production'));
    const stream = destination.stream!;
    expect(stream).toBeDefined();
    const flush = jest.spyOn(stream, 'flushSync').mockImplementation(() => undefined);
    destination.onApplicationShutdown();
    expect(flush).toHaveBeenCalledTimes(1);
    flush.mockRestore();
  });
});
