/**
 * Headless Chromium from Debian's package driven by playwright-core (no browser download), axe-core
 * injected for accessibility checks, and screenshots written to test/browser/artifacts.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** `describe` that needs Chromium: fails under CI=true when it is missing, is skipped loudly elsewhere. */
export function describeWithChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(title, body);
    return;
  }
  const why = `needs Chromium at ${CHROMIUM} (bash scripts/services/chromium.sh install)`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`has its browser: ${why}`, () => {
        throw new Error(`CI=true and ${why}`);
      });
    });
    return;
  }
  console.warn(`\n!!!!! SKIPPED "${title}": ${why} !!!!!\n`);
  describe.skip(`${title} [SKIPPED: ${why}]`, body);
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through DevTools, so the page's CSP (scripts from the origin only) still applies to the app.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>('axe.run(document).then((r) => r.violations)');
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
