/** The agent console: a Preact single-page app served at /console (locally by the runtime, in AWS by CloudFront). */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  // Production JSX whatever NODE_ENV says (a build started from a test inherits NODE_ENV=test, which would otherwise
  // compile jsxDEV calls carrying file names and line numbers into the bundle).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
});
