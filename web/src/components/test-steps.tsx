import type { TestResult } from '../api/types';
import { ms } from '../lib/format';

const STEP_NAMES: Record<string, string> = {
  resolve: 'Resolve the address',
  tcp: 'Open a TCP connection',
  tls: 'TLS handshake',
  authenticate: 'Sign in',
  catalog: 'Read the catalog',
};

/** The step-by-step connection test: each step with its timing; a failed step with its hint. */
export function TestSteps({ result }: { result: TestResult }) {
  return (
    <div class={`test-result ${result.success ? 'ok' : 'bad'}`} role="status" aria-live="polite">
      <p>
        <strong>{result.success ? 'Connection works' : 'Connection failed'}</strong> — {result.message} (
        {ms(result.latency)})
      </p>
      <ol class="steps" aria-label="Connection test steps">
        {result.steps.map((s) => (
          <li key={s.name} class={s.ok ? 'ok' : 'bad'}>
            <span class="mark" aria-hidden="true">
              {s.ok ? '✓' : '✗'}
            </span>
            <span>{STEP_NAMES[s.name] ?? s.name}</span>
            <span class="sr-only">{s.ok ? 'passed' : 'failed'}</span>
            <span class="muted small">{ms(s.duration_ms)}</span>
            {s.message ? <div class="hint">{s.message}</div> : null}
          </li>
        ))}
      </ol>
      {result.version || result.server_info ? (
        <p class="muted small">{[result.version, result.server_info].filter(Boolean).join(' · ')}</p>
      ) : null}
      {!result.success && result.details ? <p class="hint">{result.details}</p> : null}
    </div>
  );
}
