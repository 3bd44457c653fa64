/**
 * Scope globs: `*` is any run of characters (none included), `?` exactly one (UTF-16 code unit),
 * everything else itself, case-sensitive. Matched by the iterative two-pointer algorithm with a
 * single backtrack point (the last `*`), so a test costs O(glob × name) at worst and no glob can
 * hold the event loop the way a backtracking regular expression does with many stars.
 */

const STAR = 42; // '*'
const QUESTION = 63; // '?'

/** True when the whole of `value` matches `glob`. */
export function matchGlob(glob: string, value: string): boolean {
  const m = glob.length;
  const n = value.length;
  let p = 0;
  let v = 0;
  let starP = -1; // position of the last `*` seen in the glob
  let starV = 0; // where in the value that `*` currently ends
  while (v < n) {
    const g = p < m ? glob.charCodeAt(p) : -1;
    if (g === STAR) {
      starP = p++;
      starV = v;
    } else if (g === QUESTION || (g !== -1 && g === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (starP >= 0) {
      // Let the last `*` swallow one more character and retry what follows it. Earlier stars never
      // need revisiting: whatever they could match, the last one can absorb.
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < m && glob.charCodeAt(p) === STAR) p++;
  return p === m;
}

/** A compiled glob with the `test` shape of a RegExp. */
export interface GlobMatcher {
  readonly glob: string;
  test(value: string): boolean;
}

export function compileGlob(glob: string): GlobMatcher {
  // Plain names (the common case) are a string comparison.
  if (!/[*?]/.test(glob)) return { glob, test: (value) => value === glob };
  return { glob, test: (value) => matchGlob(glob, value) };
}
