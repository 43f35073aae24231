/**
 * The one set of esbuild options every Kefu function is bundled with. The CDK `KefuFunction` construct and the bundle
 * benchmark both read it, so what is measured is what deploys.
 */
import { fileURLToPath } from 'node:url';
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Node.js version the bundles target; matches the Lambda runtime (nodejs24.x). */
export const ESBUILD_TARGET = 'node24';

/**
 * ESM bundles have no `require`; some CommonJS dependencies still call it, so each bundle recreates it first.
 * Single quotes only: CDK passes the banner to esbuild inside double quotes.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire as __kefuCreateRequire } from 'node:module';const require = __kefuCreateRequire(import.meta.url);";

/** The Lambda Node.js runtime ships AWS SDK v3, so bundles leave it out (smaller, faster cold start). */
export const EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/*'];

/**
 * Node.js built-ins that a bundled ES module would `import` but that each bundle `require`s instead. In Node 24 the ES
 * module view of node:http (and node:https) reads every export, which loads the bundled undici for `http.WebSocket`
 * and friends; `require` does not. Powertools' Tracer imports both to instrument them. Each alias points at a one-line
 * CommonJS file that requires the built-in. `npm run bench` measures the effect (docs/BENCHMARKS.md).
 */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  ['http', 'https'].map((name) => [`node:${name}`, fileURLToPath(new URL(`./builtins/${name}.cjs`, import.meta.url))]),
);

/** Prefer a package's ESM build so that tree shaking works. */
export const MAIN_FIELDS: readonly string[] = ['module', 'main'];

/** Bundling options for `NodejsFunction`: ESM, minified, with source maps (read at run time via NODE_OPTIONS). */
export const kefuBundlingOptions: BundlingOptions = {
  format: OutputFormat.ESM,
  target: ESBUILD_TARGET,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  mainFields: [...MAIN_FIELDS],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [...EXTERNAL_MODULES],
  esbuildArgs: Object.fromEntries(Object.entries(BUILTIN_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
};

/**
 * Shell commands (run after esbuild, on the machine that synthesizes) that copy the listed files of each runtime
 * package from the project's node_modules into the asset's node_modules, where `require` finds them on Lambda.
 */
export function copyRuntimePackages(packages: readonly { readonly name: string; readonly files: readonly string[] }[], inputDir: string, outputDir: string): string[] {
  return packages.flatMap(({ name, files }) => {
    const from = `${inputDir}/node_modules/${name}`;
    const to = `${outputDir}/node_modules/${name}`;
    return files.map((file) => {
      const parent = file.includes('/') ? `${to}/${file.slice(0, file.lastIndexOf('/'))}` : to;
      return `mkdir -p "${parent}" && cp -R "${from}/${file}" "${parent}/"`;
    });
  });
}

/** Environment each function needs for the options above: stack traces mapped back to TypeScript. */
export const BUNDLE_RUNTIME_ENV: Readonly<Record<string, string>> = { NODE_OPTIONS: '--enable-source-maps' };

/**
 * The same options in esbuild's own API shape (`esbuild.build({ ...esbuildBuildOptions(entry, outfile) })`), for tools
 * that bundle a function without CDK.
 */
export function esbuildBuildOptions(entry: string, outfile: string): {
  entryPoints: string[];
  outfile: string;
  bundle: true;
  platform: 'node';
  format: 'esm';
  target: string;
  minify: boolean;
  sourcemap: boolean;
  sourcesContent: boolean;
  mainFields: string[];
  banner: { js: string };
  external: string[];
  alias: Record<string, string>;
} {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ESBUILD_TARGET,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: [...MAIN_FIELDS],
    banner: { js: ESM_REQUIRE_BANNER },
    external: [...EXTERNAL_MODULES],
    alias: { ...BUILTIN_ALIASES },
  };
}
