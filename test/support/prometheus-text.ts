import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** One sample of a Prometheus text exposition: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k] = v.replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels` (0 when none). */
export function sum(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

/** Whether any sample belongs to the metric family `family` (a histogram's _bucket/_sum/_count included). */
export function hasFamily(samples: Sample[], family: string): boolean {
  return samples.some((s) => s.name === family || s.name.replace(/_(bucket|sum|count)$/, '') === family);
}

/**
 * promtool: PROMTOOL, else the copy scripts/tools/promtool.sh unpacks into .tools/, else one on PATH;
 * null when there is none.
 */
export function findPromtool(): string | null {
  if (process.env.PROMTOOL) return process.env.PROMTOOL;
  const local = join(__dirname, '..', '..', '.tools', 'promtool', 'promtool');
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', ['promtool'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** `promtool check metrics` on a scrape: its exit code and what it printed. */
export function promtoolCheckMetrics(promtool: string, scrape: string): { status: number | null; output: string } {
  const res = spawnSync(promtool, ['check', 'metrics'], { input: scrape, encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}
