/**
 * The web chat widget: one self-contained script (IIFE, no framework) that any site adds with one script tag; built
 * into console/dist/widget/ next to the console, with the demo page that shows it.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2020',
    lib: { entry: 'widget/kefu-widget.ts', name: 'KefuWidget', formats: ['iife'], fileName: () => 'kefu-widget.js' },
  },
});
