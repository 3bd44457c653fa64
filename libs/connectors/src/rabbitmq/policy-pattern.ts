/**
 * RabbitMQ policy patterns are regular expressions the server hands us, so a hostile server could
 * send one that makes a backtracking engine (JavaScript's RegExp) run for hours. They are matched
 * here by a Thompson NFA instead: every state is visited at most once per character, so a test
 * costs O(pattern × name) whatever the pattern. The syntax covers what policies use: literals,
 * `.`, classes (`[a-z]`, `[^.]`, `\d\w\s` and their negations), `^`/`$`, groups (`(...)`, `(?:...)`),
 * `|`, and the quantifiers `* + ? {n} {n,} {n,m}` (lazy forms match the same names). Anything else
 * (back-references, look-arounds, flags) is reported as unsupported and matches nothing.
 */

const MAX_PATTERN_LENGTH = 1024;
const MAX_STATES = 20_000;
const MAX_REPEAT = 1000;

type CharTest = (c: number) => boolean;
type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'start' }
  | { t: 'end' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'repeat'; node: Node; min: number; max: number };

class Unsupported extends Error {}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) => c === 32 || (c >= 9 && c <= 13);
const not =
  (test: CharTest): CharTest =>
  (c) =>
    !test(c);

const CLASS_ESCAPES: Record<string, CharTest> = {
  d: isDigit,
  D: not(isDigit),
  w: isWord,
  W: not(isWord),
  s: isSpace,
  S: not(isSpace),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Unsupported(`unexpected "${this.src[this.i]}"`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { t: 'seq', items };
  }

  private quantified(node: Node): Node {
    let result = node;
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) {
          throw new Unsupported('repeat count out of range');
        }
        this.i += m[0].length - 1;
      } else return result;
      this.i++;
      // Lazy and possessive suffixes change which match is found, not whether one exists.
      if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++;
      if (result.t === 'start' || result.t === 'end') throw new Unsupported('quantified anchor');
      result = { t: 'repeat', node: result, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
        return { t: 'start' };
      case '$':
        return { t: 'end' };
      case '.':
        return { t: 'char', test: (x) => x !== 10 };
      case '(': {
        if (this.src[this.i] === '?') {
          if (this.src[this.i + 1] !== ':') throw new Unsupported('group modifiers are not supported');
          this.i += 2;
        }
        const inner = this.alternation();
        if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
        return inner;
      }
      case '[':
        return { t: 'char', test: this.charClass() };
      case '\\':
        return { t: 'char', test: this.escape() };
      case '*':
      case '+':
      case '?':
      case ')':
        throw new Unsupported(`unexpected "${c}"`);
      default: {
        const code = c.charCodeAt(0);
        return { t: 'char', test: (x) => x === code };
      }
    }
  }

  /** After a backslash: a class escape, or one literal character. */
  private escape(): CharTest {
    const c = this.src[this.i++];
    if (c === undefined) throw new Unsupported('trailing backslash');
    if (CLASS_ESCAPES[c]) return CLASS_ESCAPES[c];
    if (CONTROL_ESCAPES[c] !== undefined) {
      const code = CONTROL_ESCAPES[c];
      return (x) => x === code;
    }
    if (/[0-9A-Za-z]/.test(c)) throw new Unsupported(`"\\${c}" is not supported`);
    const code = c.charCodeAt(0);
    return (x) => x === code;
  }

  private classChar(): number | CharTest {
    const c = this.src[this.i++];
    if (c === undefined) throw new Unsupported('unclosed class');
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.i++];
    if (e === undefined) throw new Unsupported('trailing backslash');
    if (CLASS_ESCAPES[e]) return CLASS_ESCAPES[e];
    if (CONTROL_ESCAPES[e] !== undefined) return CONTROL_ESCAPES[e];
    if (/[0-9A-Za-z]/.test(e)) throw new Unsupported(`"\\${e}" is not supported`);
    return e.charCodeAt(0);
  }

  private charClass(): CharTest {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const tests: CharTest[] = [];
    let first = true;
    while (this.src[this.i] !== ']' || first) {
      first = false;
      const from = this.classChar();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const to = this.classChar();
        if (typeof from !== 'number' || typeof to !== 'number' || to < from) throw new Unsupported('bad range');
        tests.push((x) => x >= from && x <= to);
      } else if (typeof from === 'number') tests.push((x) => x === from);
      else tests.push(from);
    }
    this.i++;
    const inClass: CharTest = (x) => tests.some((t) => t(x));
    return negate ? (x) => !inClass(x) : inClass;
  }
}

/** NFA states: `char` consumes one character; `split`, `start`, `end` are epsilon moves. */
type State =
  | { k: 'char'; test: CharTest; out: number }
  | { k: 'split'; out: number[] }
  | { k: 'start' | 'end'; out: number }
  | { k: 'match' };

class Compiler {
  readonly states: State[] = [];

  add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new Unsupported('pattern too large');
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Compiles `node` so that it continues at `next`; returns its entry state. */
  compile(node: Node, next: number): number {
    switch (node.t) {
      case 'char':
        return this.add({ k: 'char', test: node.test, out: next });
      case 'start':
      case 'end':
        return this.add({ k: node.t, out: next });
      case 'seq':
        return node.items.reduceRight((out, item) => this.compile(item, out), next);
      case 'alt':
        return this.add({ k: 'split', out: node.options.map((o) => this.compile(o, next)) });
      case 'repeat': {
        let entry = next;
        if (node.max === Infinity) {
          // A loop: the split either enters the body (which returns to the split) or leaves.
          const loop = this.add({ k: 'split', out: [] });
          const body = this.compile(node.node, loop);
          (this.states[loop] as { out: number[] }).out = [body, next];
          entry = loop;
        } else {
          for (let n = node.max; n > node.min; n--) {
            entry = this.add({ k: 'split', out: [this.compile(node.node, entry), next] });
            next = entry;
          }
        }
        for (let n = 0; n < node.min; n++) entry = this.compile(node.node, entry);
        return entry;
      }
    }
  }
}

export interface PolicyPattern {
  /** Why the pattern cannot be evaluated, when it cannot (it then matches nothing). */
  readonly unsupported?: string;
  /** True when the pattern matches anywhere in `name`, as RegExp#test would. */
  test(name: string): boolean;
}

export function compilePolicyPattern(pattern: string): PolicyPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { unsupported: `longer than ${MAX_PATTERN_LENGTH} characters`, test: () => false };
  }
  let states: State[];
  let entry: number;
  try {
    const compiler = new Compiler();
    const match = compiler.add({ k: 'match' });
    entry = compiler.compile(new Parser(pattern).parse(), match);
    states = compiler.states;
  } catch (err) {
    if (err instanceof Unsupported) return { unsupported: err.message, test: () => false };
    throw err;
  }
  return { test: (name) => run(states, entry, name) };
}

function run(states: State[], entry: number, name: string): boolean {
  const n = name.length;
  let current: number[] = [];
  let mark = new Int32Array(states.length).fill(-1);
  // Adds a state and everything reachable from it without consuming; true once `match` is reached.
  const close = (list: number[], from: number, pos: number, seen: Int32Array): boolean => {
    const stack = [from];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen[s] === pos) continue;
      seen[s] = pos;
      const state = states[s];
      if (state.k === 'match') return true;
      if (state.k === 'char') list.push(s);
      else if (state.k === 'split') for (let j = state.out.length - 1; j >= 0; j--) stack.push(state.out[j]);
      else if (state.k === 'start' ? pos === 0 : pos === n) stack.push(state.out);
    }
    return false;
  };
  for (let pos = 0; ; pos++) {
    // Unanchored: a match may begin at every position.
    if (close(current, entry, pos, mark)) return true;
    if (pos === n) return false;
    const code = name.charCodeAt(pos);
    const next: number[] = [];
    const seen = new Int32Array(states.length).fill(-1);
    for (const s of current) {
      const state = states[s] as { test: CharTest; out: number };
      if (state.test(code) && close(next, state.out, pos + 1, seen)) return true;
    }
    current = next;
    mark = seen;
  }
}
