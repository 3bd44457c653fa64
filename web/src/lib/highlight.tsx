/** The text with every case-insensitive occurrence of `needle` in a <mark>. */
export function Highlight({ text, needle }: { text: string; needle: string }) {
  const n = needle.trim().toLowerCase();
  if (!n) return <>{text}</>;
  const parts: Array<string | { m: string }> = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push({ m: text.slice(at, at + n.length) });
    from = at + n.length;
  }
  parts.push(text.slice(from));
  return <>{parts.map((p, i) => (typeof p === 'string' ? p : <mark key={i}>{p.m}</mark>))}</>;
}
