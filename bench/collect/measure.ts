import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A collector handle obtained without restarting node with --expose-gc. */
export const gc = runInNewContext('gc') as () => void;

export interface Measurement {
  label: string;
  engine: string;
  seconds: number;
  queries: number | null;
  peakHeapMb: number;
  peakRssMb: number;
  /** Most memory live at once: heap after a full collection at every batch (a separate, untimed run). */
  liveHeapMb?: number;
  note?: string;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Runs `work` while sampling memory every 5 ms. Heap is reported as the peak above the heap
 * measured after a full collection just before the work started, so phases compare fairly.
 */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakHeapMb: number; peakRssMb: number }> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peakHeap = baseline;
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    if (m.rss > peakRss) peakRss = m.rss;
  }, 5);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    return { value, seconds, peakHeapMb: mb(peakHeap - baseline), peakRssMb: mb(peakRss) };
  } finally {
    clearInterval(timer);
  }
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/**
 * Reads with a full collection after every batch and returns the most heap held at once above the
 * starting point: what the reader keeps alive, unlike a timed run's peak, which includes garbage.
 */
export async function liveHeap(batches: AsyncIterable<unknown>): Promise<number> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  for await (const batch of batches) {
    void batch;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return mb(peak - baseline);
}

export function printTable(rows: Measurement[]): void {
  const header = [
    'engine',
    'measurement',
    'time (s)',
    'queries',
    'peak heap +MB',
    'peak RSS MB',
    'live heap +MB',
    'note',
  ];
  const cells = rows.map((r) => [
    r.engine,
    r.label,
    Number.isNaN(r.seconds) ? '-' : r.seconds.toFixed(2),
    r.queries === null ? '-' : String(r.queries),
    Number.isNaN(r.peakHeapMb) ? '-' : r.peakHeapMb.toFixed(1),
    Number.isNaN(r.peakRssMb) ? '-' : r.peakRssMb.toFixed(0),
    r.liveHeapMb === undefined ? '-' : r.liveHeapMb.toFixed(1),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => pad(v, widths[i], i >= 2 && i <= 6)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}
