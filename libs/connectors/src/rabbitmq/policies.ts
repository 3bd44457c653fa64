import { ApiPolicy } from './api-types';

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

function patternMatches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
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
    .filter((p) => appliesTo(p['apply-to'], kind, queueType) && patternMatches(p.pattern, name))
    .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))[0];
}
