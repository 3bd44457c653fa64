import { prettyTransport } from './pretty-transport';

describe('prettyTransport', () => {
  it('pretty-prints for a terminal in development', () => {
    expect(prettyTransport('development', true)).toMatchObject({
      target: 'pino-pretty',
      options: { colorize: true, singleLine: true },
    });
  });

  it('keeps JSON when output is piped, and outside development', () => {
    expect(prettyTransport('development', false)).toBeUndefined();
    expect(prettyTransport('production', true)).toBeUndefined();
    expect(prettyTransport('test', true)).toBeUndefined();
  });
});
