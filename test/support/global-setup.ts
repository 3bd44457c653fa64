import { probeServers } from './servers';

/** Probes the real servers once per run; workers read the result from the environment. */
export default async function globalSetup(): Promise<void> {
  const status = await probeServers();
  process.env.TEST_SERVERS_AVAILABLE = JSON.stringify(status);
  const missing = Object.entries(status)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  if (missing.length > 0) {
    const line = `Real servers not reachable: ${missing.join(', ')}. Suites needing them ${process.env.CI === 'true' ? 'FAIL (CI=true)' : 'are SKIPPED'}.`;
    console.warn(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
  }
}
