import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import type { RefObject } from 'preact';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';

/** A virtualiser over a scroll container: only the rows in view (plus a margin) are rendered. */
export function useVirtualRows(count: number, rowHeight: number, scrollRef: RefObject<HTMLElement | null>) {
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  const options = (): VirtualizerOptions<HTMLElement, Element> => ({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange: () => repaint(0),
  });
  const [virtualizer] = useState(() => new Virtualizer(options()));
  virtualizer.setOptions(options());
  useLayoutEffect(() => {
    const cleanup = virtualizer._didMount();
    virtualizer._willUpdate();
    return cleanup;
  }, [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return virtualizer;
}
