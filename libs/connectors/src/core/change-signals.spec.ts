import { assetKey } from './scope';
import { splitBySignal } from './change-signals';

describe('incremental split', () => {
  const objects = [
    { namespace: 's', name: 'same', signal: '1' },
    { namespace: 's', name: 'moved', signal: '2' },
    { namespace: 's', name: 'new', signal: '3' },
    { namespace: 's', name: 'nosignal', signal: null },
  ];
  const previous = new Map([
    [assetKey('s', 'same'), '1'],
    [assetKey('s', 'moved'), '1'],
    [assetKey('s', 'nosignal'), 'x'],
  ]);

  it('skips only objects whose signal matches the previous run', () => {
    const { changed, unchanged } = splitBySignal(objects, { mode: 'incremental', previousSignals: previous });
    expect(unchanged).toEqual([{ namespace: 's', name: 'same' }]);
    expect(changed.map((o) => o.name)).toEqual(['moved', 'new', 'nosignal']);
  });

  it('reads everything in full runs', () => {
    expect(splitBySignal(objects, { mode: 'full', previousSignals: previous }).changed).toHaveLength(4);
  });
});
