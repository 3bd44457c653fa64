import { ApiPolicy } from './api-types';
import { compilePolicyPattern, PolicyPattern } from './policy-pattern';

/** Which objects a policy's `apply-to` covers (3.12 added per-queue-type values). */
function appliesTo(applyTo: string, kind: 'exchange' | 'queue', queueType?: string): boolean {
  if (applyTo === 'all') return true;
  if (kind === 'exchange') return applyTo === 'exchanges';
  if (applyTo === 'queues') return true;
  return (
    (applyTo === 'classic_queues' && queueType === 'classic') ||
    (applyTo === 'quorum_queues' && queueType === 'quorum') ||
    (applyTo === 'streams' && queueType === 'stream')
  );
}

// Patterns come from the server: never a backtracking RegExp (see policy-pattern.ts).
const compiled = new WeakMap<ApiPolicy, PolicyPattern>();

function patternMatches(policy: ApiPolicy, name: string): boolean {
  let pattern = compiled.get(policy);
  if (!pattern) {
    pattern = compilePolicyPattern(policy.pattern);
    compiled.set(policy, pattern);
  }
  return pattern.test(name);
}

/**
 * The policy RabbitMQ applies to an object: of those whose pattern matches the name and whose
 * `apply-to` covers the kind, the one with the highest priority. Used where the API does not say.
 */
export function applicablePolicy(
  policies: readonly ApiPolicy[],
  kind: 'exchange' | 'queue',
  name: string,
  queueType?: string,
): ApiPolicy | undefined {
  return policies
    .filter((p) => appliesTo(p['apply-to'], kind, queueType) && patternMatches(p, name))
    .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))[0];
}
