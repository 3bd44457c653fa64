/**
 * The web console as a user drives it: real headless Chromium against the service (SQLite store)
 * and a real PostgreSQL source. Every page visited is checked with axe-core; the main pages are
 * photographed into test/browser/artifacts.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../support/app';
import { SERVER_ENDPOINTS } from '../support/servers';
import { describeWithServers } from '../support/servers';
import { describeWithChromium, launch, screenshot, seriousViolations } from './support/browser';
import { buildConsoleIfStale } from './support/console-build';

jest.setTimeout(180_000);

const PG = SERVER_ENDPOINTS.postgres;
const schema = `console_browser_${randomBytes(4).toString('hex')}`;
const WIDE = 1600;
const viewer = { username: `viewer-${randomBytes(3).toString('hex')}`, password: 'Viewer-password-123!' };

async function pg(sql: string): Promise<void> {
  const c = new Client({ host: PG.host, port: PG.port, user: 'postgres', database: 'test' });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describeWithServers(['postgres'], 'web console', () => {
  describeWithChromium('in headless Chromium', () => {
    let t: TestApp;
    let browser: Browser;
    let admin: BrowserContext;
    let page: Page;
    let sourceId = '';
    let taskId = '';
    let assetId = '';
    const cspViolations: string[] = [];
    const shots: string[] = [];

    const axeClean = async (p: Page, where: string) => {
      const serious = await seriousViolations(p);
      expect({ where, violations: serious.map((v) => `${v.id}: ${v.help} @ ${v.nodes[0]?.target.join(' ')}`) }).toEqual(
        {
          where,
          violations: [],
        },
      );
    };
    const heading = (p: Page) => p.locator('h1');
    const waitForRun = async (p: Page) => {
      await p.locator('.run-head .badge', { hasText: /completed|failed|cancelled/ }).waitFor({ timeout: 90_000 });
      return (await p.locator('.run-head .badge').first().textContent())?.trim();
    };

    beforeAll(async () => {
      buildConsoleIfStale();
      await pg(`CREATE SCHEMA ${schema}`);
      await pg(`CREATE TABLE ${schema}.orders (id integer PRIMARY KEY, customer text NOT NULL, amount numeric(10,2))`);
      await pg(`COMMENT ON TABLE ${schema}.orders IS 'Orders placed in the shop'`);
      await pg(`INSERT INTO ${schema}.orders SELECT g, 'c' || (g % 7), g * 1.5 FROM generate_series(1, 50) g`);
      // As wide as PostgreSQL allows: the fields list must stay virtualised.
      const wide = Array.from({ length: WIDE }, (_, i) => `c${i} integer`).join(', ');
      await pg(`CREATE TABLE ${schema}.wide (${wide})`);
      // Imported only now: the service finds the console build when its module loads.
      const { bootApp } = await import('../support/app');
      t = await bootApp();
      const res = await t.http
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${t.adminToken}`)
        .send({ ...viewer, role: 'viewer' });
      if (res.status !== 201) throw new Error(`viewer: ${res.status} ${JSON.stringify(res.body)}`);
      browser = await launch();
      admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      page = await admin.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
    }, 420_000);

    afterAll(async () => {
      await browser?.close();
      await t?.close();
      await pg(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      if (shots.length) console.log(`Console screenshots:\n${shots.join('\n')}`);
    });

    it('is served at / with a strict CSP, and the API and docs stay where they were', async () => {
      const index = await fetch(`${t.baseUrl}/datasources/some/deep/link`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<div id="app">');
      const csp = index.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const api = await fetch(`${t.baseUrl}/api/v1/nothing-here`);
      expect(api.status).toBe(404);
      expect(await api.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect((await fetch(`${t.baseUrl}/api/docs-json`)).status).toBe(200);
    });

    it('signs in, keeps the refresh token out of scripts, and survives a reload', async () => {
      await page.goto(`${t.baseUrl}/`);
      await axeClean(page, 'sign-in');
      shots.push(await screenshot(page, '01-sign-in'));
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill('admin-password-for-tests');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page).filter({ hasText: 'Browse the catalog' }).waitFor();
      const cookies = await admin.cookies();
      const refresh = cookies.filter((c) => c.name === 'metadata_refresh');
      expect(refresh.length).toBeGreaterThan(0);
      for (const c of refresh) {
        expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
        expect(c.path.startsWith('/api/v1/')).toBe(true);
      }
      expect(await page.evaluate<string>('document.cookie')).not.toContain('metadata_refresh');
      expect(await page.evaluate<string>('JSON.stringify({ ...localStorage })')).not.toMatch(/eyJ/);
      await page.reload();
      await heading(page).filter({ hasText: 'Browse the catalog' }).waitFor();
      await axeClean(page, 'browse');
    });

    it('adds a PostgreSQL source and shows its connection test step by step', async () => {
      await page.getByRole('link', { name: 'Data sources' }).click();
      await page.getByRole('link', { name: 'Add data source' }).click();
      await heading(page).filter({ hasText: 'Add a data source' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Shop database');
      await page.locator('#cfg-host').fill(PG.host);
      await page.locator('#cfg-port').fill(String(PG.port));
      await page.locator('#cfg-username').fill('postgres');
      await page.locator('#cfg-database').fill('test');
      await axeClean(page, 'data source form');
      await page.getByRole('button', { name: 'Test connection' }).click();
      const steps = page.getByRole('list', { name: 'Connection test steps' });
      await steps.waitFor();
      await page.getByText('Connection works').waitFor();
      expect(await steps.locator('li').count()).toBeGreaterThanOrEqual(3);
      await expect(steps.locator('li.bad').count()).resolves.toBe(0);
      shots.push(await screenshot(page, '02-datasource-test'));
      await page.getByRole('button', { name: 'Create data source' }).click();
      await heading(page).filter({ hasText: 'Shop database' }).waitFor();
      sourceId = page.url().split('/').pop() ?? '';
      expect(sourceId).toMatch(/^ds-/);
      await axeClean(page, 'data source');
    });

    it('creates a task with a five-firing preview in its time zone, runs it and follows its progress', async () => {
      await page.getByRole('link', { name: 'New task on this source' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Shop collection');
      await page.getByLabel(/Schemas to include/).fill(schema);
      await page.getByLabel('Kind').selectOption('cron');
      await page.getByLabel('Cron expression').fill('30 2 * * *');
      await page.getByLabel('Time zone').selectOption('Asia/Shanghai');
      const firings = page.getByRole('list', { name: 'Next firings' }).locator('li');
      await firings.first().waitFor();
      expect(await firings.count()).toBe(5);
      for (const text of await firings.allTextContents()) expect(text).toMatch(/2:30:00.*Asia\/Shanghai/);
      await axeClean(page, 'task form');
      shots.push(await screenshot(page, '03-task-form'));
      await page.getByLabel('Kind').selectOption('immediate');
      await page.getByRole('button', { name: 'Create task' }).click();
      await heading(page).filter({ hasText: 'Shop collection' }).waitFor();
      taskId = page.url().split('/').pop() ?? '';
      await page.getByRole('button', { name: 'Run now' }).click();
      await page.waitForURL(/\/runs\//);
      await page.getByRole('progressbar', { name: 'Run progress' }).waitFor();
      expect(await waitForRun(page)).toBe('completed');
      await page.getByText('100 %').first().waitFor();
      expect(await page.getByRole('list', { name: 'Log lines' }).locator('li').count()).toBeGreaterThan(0);
      await axeClean(page, 'run');
      shots.push(await screenshot(page, '04-run'));
    });

    it('browses to the asset: fields, keys, statistics', async () => {
      await page.getByRole('link', { name: 'Browse' }).click();
      await page.getByRole('link', { name: 'Shop database' }).click();
      await page.getByRole('link', { name: schema }).click();
      await page.getByRole('link', { name: 'orders' }).click();
      await heading(page).filter({ hasText: 'orders' }).waitFor();
      assetId = page.url().split('/').pop()?.split('?')[0] ?? '';
      const rows = page.getByRole('table', { name: 'Fields' }).getByRole('row');
      await rows.filter({ hasText: 'customer' }).waitFor();
      expect(await rows.filter({ hasText: 'amount' }).count()).toBe(1);
      await page.getByText('Orders placed in the shop').first().waitFor();
      await axeClean(page, 'asset fields');
      shots.push(await screenshot(page, '05-asset'));
      await page.getByRole('tab', { name: 'Keys and indexes' }).click();
      await page.getByRole('cell', { name: 'primary' }).first().waitFor();
      await axeClean(page, 'asset keys');
      await page.getByRole('tab', { name: 'Statistics and profile' }).click();
      await page.getByRole('heading', { name: 'Latest profile' }).waitFor();
      await axeClean(page, 'asset profile');
      await page.getByRole('tab', { name: 'Lineage' }).click();
      await page
        .getByText(/No lineage yet|Assets in the graph/)
        .first()
        .waitFor();
      await axeClean(page, 'asset lineage');
    });

    it('renders only the visible rows of a table with 1,600 columns', async () => {
      await page.goto(`${t.baseUrl}/browse/${sourceId}/${schema}`);
      await page.getByRole('link', { name: 'wide' }).click();
      const started = Date.now();
      const table = page.getByRole('table', { name: 'Fields' });
      await table.getByRole('row').filter({ hasText: 'c0' }).first().waitFor();
      console.log(`1,600-column asset: fields painted ${Date.now() - started} ms after the click`);
      expect(await table.getAttribute('aria-rowcount')).toBe(String(WIDE + 1));
      expect(await table.getByRole('row').count()).toBeLessThan(80);
      await page.locator('.vscroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await table
        .getByRole('row')
        .filter({ hasText: `c${WIDE - 1}` })
        .waitFor();
      expect(await table.getByRole('row').count()).toBeLessThan(80);
      await axeClean(page, 'wide asset');
    });

    it('after an ALTER and a second run, shows the change side by side', async () => {
      await pg(`ALTER TABLE ${schema}.orders ADD COLUMN shipped_at timestamptz, ALTER COLUMN customer DROP NOT NULL`);
      await page.goto(`${t.baseUrl}/tasks/${taskId}`);
      await page.getByRole('button', { name: 'Run now' }).click();
      await page.waitForURL(/\/runs\//);
      expect(await waitForRun(page)).toBe('completed');
      // A deep link straight to the versions tab.
      await page.goto(`${t.baseUrl}/assets/${assetId}?tab=versions`);
      const diff = page.locator('.diff-table');
      await diff.waitFor();
      const added = diff.locator('tr.added', { hasText: 'shipped_at' });
      await added.waitFor();
      expect(await added.locator('td.after').textContent()).toContain('timestamp');
      expect((await added.locator('td.before').textContent())?.trim()).toBe('');
      const altered = diff.locator('tr.altered', { hasText: 'customer' });
      expect(await altered.locator('td.before').textContent()).toContain('nullable: false');
      expect(await altered.locator('td.after').textContent()).toContain('nullable: true');
      await axeClean(page, 'asset versions');
      shots.push(await screenshot(page, '06-asset-diff'));
      // Back and forward move between the pages visited.
      await page.goBack();
      await page.waitForURL(/\/runs\//);
      await page.goForward();
      await page.locator('.diff-table').waitFor();
    });

    it('searches with highlighted matches', async () => {
      await page.getByRole('link', { name: 'Search' }).click();
      await page.getByLabel(/Name, comment/).fill('shipped');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=shipped/);
      const hit = page.locator('.results li', { hasText: 'orders.shipped_at' });
      await hit.waitFor();
      expect(await hit.locator('mark').first().textContent()).toBe('shipped');
      await axeClean(page, 'search');
      shots.push(await screenshot(page, '07-search'));
    });

    it('edits the description', async () => {
      await page.goto(`${t.baseUrl}/assets/${assetId}?tab=annotations`);
      await page.getByLabel('Description').fill('Every order, one row each; written from the console.');
      await page.getByRole('button', { name: 'Save annotations' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Saved \(version \d+\)\.$/ })
        .waitFor();
      await axeClean(page, 'annotations');
      await page.reload();
      await page.locator('.description', { hasText: 'written from the console' }).waitFor();
      const stored = await t.http
        .get(`/api/v1/metadata/assets/${assetId}/annotations`)
        .set('Authorization', `Bearer ${t.adminToken}`);
      expect(stored.body.description).toBe('Every order, one row each; written from the console.');
    });

    it('has webhooks, users and audit pages for the admin, accessible in both themes and on a phone', async () => {
      for (const [path, title, shot] of [
        ['/webhooks', 'Webhooks', '08-webhooks'],
        ['/admin/users', 'Users', '09-users'],
        ['/admin/audit', 'Audit log', '10-audit'],
        ['/tasks', 'Tasks', '11-tasks'],
        ['/datasources', 'Data sources', '12-datasources'],
      ]) {
        await page.goto(`${t.baseUrl}${path}`);
        await heading(page).filter({ hasText: title }).waitFor();
        await page.locator('[role=status]:has-text("Loading")').waitFor({ state: 'detached' });
        await axeClean(page, title);
        shots.push(await screenshot(page, shot));
      }
      await page.getByRole('button', { name: /Switch to dark theme/ }).click();
      expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
      await page.goto(`${t.baseUrl}/assets/${assetId}`);
      await page.getByRole('table', { name: 'Fields' }).waitFor();
      await axeClean(page, 'asset, dark');
      shots.push(await screenshot(page, '13-asset-dark'));
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'Tasks' }).click();
      await heading(page).filter({ hasText: 'Tasks' }).waitFor();
      await axeClean(page, 'tasks, phone');
      shots.push(await screenshot(page, '14-tasks-phone'));
      expect(cspViolations).toEqual([]);
    });

    it('shows a viewer read-only pages without buttons they cannot use', async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const v = await ctx.newPage();
      await v.goto(`${t.baseUrl}/datasources`);
      await v.getByLabel('User name').fill(viewer.username);
      await v.getByLabel('Password').fill(viewer.password);
      await v.getByRole('button', { name: 'Sign in' }).click();
      await heading(v).filter({ hasText: 'Data sources' }).waitFor();
      await v.getByRole('link', { name: 'Shop database' }).waitFor();
      expect(await v.getByRole('link', { name: 'Add data source' }).count()).toBe(0);
      expect(await v.getByRole('button', { name: 'Import…' }).count()).toBe(0);
      expect(await v.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(await v.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
      await v.getByRole('link', { name: 'Shop database' }).click();
      await heading(v).filter({ hasText: 'Shop database' }).waitFor();
      for (const name of ['Edit', 'Delete', 'Test connection'])
        expect(await v.getByRole('button', { name }).count()).toBe(0);
      expect(await v.getByRole('link', { name: 'Edit' }).count()).toBe(0);
      await v.goto(`${t.baseUrl}/tasks/${taskId}`);
      await heading(v).filter({ hasText: 'Shop collection' }).waitFor();
      for (const name of ['Run now', 'Start', 'Stop', 'Delete'])
        expect(await v.getByRole('button', { name }).count()).toBe(0);
      await v.goto(`${t.baseUrl}/assets/${assetId}?tab=annotations`);
      await v.getByText('written from the console').first().waitFor();
      expect(await v.getByRole('button', { name: 'Save annotations' }).count()).toBe(0);
      await axeClean(v, 'viewer annotations');
      shots.push(await screenshot(v, '15-viewer-asset'));
      await v.getByRole('button', { name: 'Sign out' }).click();
      await v.getByRole('button', { name: 'Sign in' }).waitFor();
      await v.reload();
      await v.getByRole('button', { name: 'Sign in' }).waitFor();
      await ctx.close();
    });
  });
});
