import { IncomingMessage, ServerResponse } from 'node:http';
import { DomainException } from '../errors/domain.exception';
import { ErrorReason } from '../errors/error-reason';

/** Deeper than any request this API takes; far below what validation's recursion survives. */
export const MAX_JSON_DEPTH = 128;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of objects and arrays in a JSON text, stopping as soon as it passes `limit`.
 * One pass over the bytes: in UTF-8 (and in the UTF-16 text decoded from other charsets) the
 * structural characters never occur inside multi-byte sequences, so bytes can be read as they come.
 */
export function jsonDepthExceeds(text: Uint8Array | string, limit: number): boolean {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

/**
 * body-parser `verify` hook for JSON: refuses a body nested deeper than `limit` before it is
 * parsed, so the DTO transform and validation (which recurse) never see it. A 400, not a 500.
 */
export function rejectDeepJson(limit = MAX_JSON_DEPTH) {
  return (_req: IncomingMessage, _res: ServerResponse, body: Buffer, encoding: string | null): void => {
    const charset = (encoding ?? 'utf-8').toLowerCase();
    const text = charset === 'utf-8' || charset === 'utf8' ? body : decode(body, charset);
    if (jsonDepthExceeds(text, limit)) {
      throw new DomainException(
        ErrorReason.JsonTooDeep,
        'Request body is nested too deeply',
        `JSON objects and arrays may nest at most ${limit} levels`,
      );
    }
  };
}

function decode(body: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    // A charset TextDecoder lacks (body-parser decodes more): read it byte by byte, which still
    // sees every ASCII-compatible bracket.
    return body.toString('latin1');
  }
}
