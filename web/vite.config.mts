import preact from '@preact/preset-vite';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'dist', 'web');
const BUDGET_KB = 300;

/** Prints the JavaScript shipped, gzipped, and fails the build above the budget. */
function shippedSize(): Plugin {
  return {
    name: 'shipped-size',
    apply: 'build',
    closeBundle() {
      const dir = join(outDir, 'assets');
      const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
      const bytes = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0);
      const kb = bytes / 1024;
      console.log(`console: ${js.length} JavaScript files, ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
      if (kb > BUDGET_KB) throw new Error(`the console ships ${kb.toFixed(1)} KB of JavaScript gzipped`);
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [preact(), shippedSize()],
  build: {
    outDir,
    emptyOutDir: true,
    // No inline scripts: the CSP allows scripts from the origin only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
