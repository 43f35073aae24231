/**
 * The web chat widget: one self-contained script (IIFE, no framework) that any site adds with one script tag; built
 * into console/dist/widget/ next to the console (run after the console's build, which empties console/dist), with
 * the demo page that shows it (console/widget/demo.html, copied as is).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const demoPage: Plugin = {
  name: 'kefu-widget-demo-page',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'demo.html', source: readFileSync(join(import.meta.dirname, 'widget', 'demo.html'), 'utf8') });
  },
};

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  plugins: [demoPage],
  build: {
    outDir: 'dist/widget',
    // Empties dist/widget only: the console's build next to it stays.
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: true,
    lib: { entry: 'widget/kefu-widget.ts', name: 'KefuWidget', formats: ['iife'], fileName: () => 'kefu-widget.js' },
  },
});
