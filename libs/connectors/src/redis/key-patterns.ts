/**
 * Key-pattern inference: turns concrete Redis key names into patterns such as `user:{id}:profile`
 * by replacing the segments that look like identifiers. Pure functions, no I/O.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}){1,2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const HEX = /^[0-9a-f]{16,}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const TOKEN_CHARS = /^[A-Za-z0-9_\-+/=.]+$/;
/** Separators inside one segment (`order-123`, `img_42.png`) whose parts are normalised on their own. */
const INNER_SPLIT = /([-_.@])/;

/** The placeholder a merged, high-cardinality literal position becomes. */
export const WILDCARD = '{*}';

function charClass(c: string): number {
  if (c >= '0' && c <= '9') return 0;
  if (c >= 'a' && c <= 'z') return 1;
  return 2;
}

/** Random tokens switch between digits, lower and upper case often; words and names rarely do. */
function looksRandom(s: string): boolean {
  const alnum = s.replace(/[^A-Za-z0-9]/g, '');
  if (!/\d/.test(alnum) || !/[A-Za-z]/.test(alnum)) return false;
  let switches = 0;
  for (let i = 1; i < alnum.length; i++) if (charClass(alnum[i]) !== charClass(alnum[i - 1])) switches++;
  return switches >= alnum.length * 0.3;
}

/** The placeholder for one whole token, or undefined when it looks like a literal word. */
function placeholderFor(token: string): string | undefined {
  if (token === '') return undefined;
  if (/^\d+$/.test(token)) return '{id}';
  if (UUID.test(token)) return '{uuid}';
  if (DATE.test(token)) return '{date}';
  if (IPV4.test(token)) return '{ip}';
  if (EMAIL.test(token)) return '{email}';
  if (ULID.test(token)) return '{id}';
  if (HEX.test(token) && /\d/.test(token)) return '{hash}';
  if (token.length >= 20 && TOKEN_CHARS.test(token) && looksRandom(token)) return '{token}';
  return undefined;
}

/** Normalises one separator-delimited segment of a key. */
export function normalizeSegment(segment: string): string {
  const whole = placeholderFor(segment);
  if (whole) return whole;
  // `order-123` → `order-{id}`: parts between inner separators are normalised one by one.
  const parts = segment.split(INNER_SPLIT);
  if (parts.length === 1) return segment;
  return parts.map((p, i) => (i % 2 === 1 ? p : (placeholderFor(p) ?? p))).join('');
}

/** `user:1001:profile` → `user:{id}:profile` (with `:` as the separator). */
export function inferKeyPattern(key: string, separator: string): string {
  if (separator === '') return normalizeSegment(key);
  return key.split(separator).map(normalizeSegment).join(separator);
}

function isPlaceholder(segment: string): boolean {
  return /^\{[a-z*]+\}$/.test(segment);
}

/**
 * Second pass over inferred patterns: where patterns differ only in one position and that position
 * holds at least `minDistinct` different literal values (`cart:alice`, `cart:bob`, …), they are
 * merged into one pattern with `{*}` there. Returns a map from each input pattern to its final one.
 */
export function mergeHighCardinality(
  patterns: Iterable<string>,
  separator: string,
  minDistinct = 8,
): Map<string, string> {
  const final = new Map<string, string>();
  for (const p of patterns) final.set(p, p);
  if (separator === '') return final;

  let changed = true;
  while (changed) {
    changed = false;
    const current = [...new Set(final.values())];
    // Group by "everything but position i"; count distinct literals at i.
    const groups = new Map<string, Set<string>>();
    for (const pattern of current) {
      const segments = pattern.split(separator);
      segments.forEach((segment, i) => {
        if (isPlaceholder(segment)) return;
        const rest = segments.map((s, j) => (j === i ? '\u0000' : s)).join(separator);
        const groupKey = `${segments.length}\u0001${i}\u0001${rest}`;
        let values = groups.get(groupKey);
        if (!values) groups.set(groupKey, (values = new Set()));
        values.add(segment);
      });
    }
    for (const [groupKey, values] of groups) {
      if (values.size < minDistinct) continue;
      const [, index, rest] = groupKey.split('\u0001');
      const merged = rest
        .split(separator)
        .map((s, j) => (j === Number(index) ? WILDCARD : s))
        .join(separator);
      for (const [input, out] of final) {
        const segments = out.split(separator);
        if (segments.length !== merged.split(separator).length) continue;
        const candidate = segments.map((s, j) => (j === Number(index) ? WILDCARD : s)).join(separator);
        if (candidate === merged && out !== merged) {
          final.set(input, merged);
          changed = true;
        }
      }
    }
  }
  return final;
}

/** A Redis SCAN `MATCH` glob for a pattern: placeholders become `*`, glob characters in literals are escaped. */
export function patternToGlob(pattern: string): string {
  return pattern
    .split(/(\{[a-z*]+\})/)
    .map((part, i) => (i % 2 === 1 ? '*' : part.replace(/([*?[\]\\])/g, '\\$1')))
    .join('');
}
