import { compileGlob, GlobMatcher, matchGlob } from './glob-matcher';
import { CollectScope } from './types';

/**
 * A glob as a matcher with RegExp's `test` (linear-time, see glob-matcher.ts); the name is kept
 * for its callers, which only ever call `test`.
 */
export function globToRegExp(glob: string): GlobMatcher {
  return compileGlob(glob);
}

/**
 * Converts a glob into a SQL LIKE pattern with `\` as the escape character, so scope filters
 * can be bound as parameters (`name LIKE ? ESCAPE '\'`) instead of built into SQL text.
 */
export function globToLike(glob: string): string {
  return glob
    .replace(/[\\%_]/g, '\\$&')
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

function matchesAny(globs: string[] | undefined, value: string): boolean {
  return (globs ?? []).some((g) => matchGlob(g, value));
}

/** True when `name` passes an include list (empty = everything) and no exclude glob. */
export function inScope(include: string[] | undefined, exclude: string[] | undefined, name: string): boolean {
  if (include && include.length > 0 && !matchesAny(include, name)) return false;
  return !matchesAny(exclude, name);
}

export function namespaceInScope(scope: CollectScope, namespace: string): boolean {
  return inScope(scope.includeSchemas, scope.excludeSchemas, namespace);
}

export function assetInScope(scope: CollectScope, namespace: string, name: string): boolean {
  return namespaceInScope(scope, namespace) && inScope(scope.includeTables, scope.excludeTables, name);
}

/** The stable key of an asset within a source (used for change signals and diffs). */
export function assetKey(namespace: string, name: string): string {
  return `${namespace}\u001f${name}`;
}
