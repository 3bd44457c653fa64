/** `%`, `_` and the escape character itself, escaped with `!` for `LIKE … ESCAPE '!'` (needs no quoting tricks on any store). */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, '!$&');
}

/** A case-folded "contains" pattern for a lower-cased column. */
export function likeContains(text: string): string {
  return `%${escapeLike(text.toLowerCase())}%`;
}

export function likePrefix(text: string): string {
  return `${escapeLike(text.toLowerCase())}%`;
}
