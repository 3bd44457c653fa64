import { jsonDepthExceeds, rejectDeepJson } from './json-depth';

describe('JSON depth scan', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`{"s":"${'['.repeat(1000)}"}`), 2)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from(`{"s":"\\"[[[[","t":[[[]]]}`), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`{"s":"\\"[[[[","t":[[]]}`), 3)).toBe(false);
  });

  it('refuses a 100,000-deep body with a 400 before it is parsed, in UTF-8 and UTF-16', () => {
    const verify = rejectDeepJson(128);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const call = (body: Buffer, charset: string) => () => verify({} as never, {} as never, body, charset);
    expect(call(Buffer.from(deep), 'utf-8')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', message: 'Request body is nested too deeply' }),
    );
    expect(call(Buffer.from(deep, 'utf16le'), 'utf-16le')).toThrow(/nested too deeply/);
    expect(call(Buffer.from(`${'['.repeat(128)}${']'.repeat(128)}`), 'utf-8')).not.toThrow();
  });
});
