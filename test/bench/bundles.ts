/**
 * Bundle size and cold import time per function: each manifest entry is bundled with the CDK app's own esbuild options
 * (infra/constructs/bundling-options.ts), then imported in fresh Node processes.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_RUNTIME_ENV, esbuildBuildOptions } from '../../infra/constructs/bundling-options.ts';
import { manifest, type FunctionId } from '../../shared/manifest/manifest.ts';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BUNDLE_DIR = join(ROOT, '.kefu', 'bench', 'bundles');

export interface BundleResult {
  readonly id: FunctionId;
  readonly entry: string;
  readonly file: string;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  /** Bytes each package (or `(kefu)` for this repository's code) contributes to the bundle, largest first. */
  readonly contributors: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
}

/** Groups esbuild's per-input output bytes by npm package. */
function contributors(inputs: Record<string, { bytesInOutput: number }>): BundleResult['contributors'] {
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(kefu)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export async function bundleFunctions(): Promise<BundleResult[]> {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const results: BundleResult[] = [];
  for (const spec of manifest.functions) {
    const file = join(BUNDLE_DIR, spec.id, 'index.mjs');
    const { metafile } = await build({ ...esbuildBuildOptions(join(ROOT, spec.entry), file), absWorkingDir: ROOT, logLevel: 'warning', metafile: true });
    const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
    if (!output) throw new Error(`esbuild wrote no bundle for ${spec.id}`);
    const code = readFileSync(file);
    results.push({ id: spec.id, entry: spec.entry, file, rawBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, contributors: contributors(output.inputs) });
  }
  return results;
}

/** The child: `await import(bundle)` between two performance.now() calls, printed as a number of milliseconds. */
const IMPORT_PROBE = 'const u = process.argv[1]; const t0 = performance.now(); await import(u); console.log(performance.now() - t0);';

/**
 * Cold import time of one bundle: `runs` fresh Node processes (the benchmark's own Node, `process.execPath`), with the
 * runtime environment the CDK app gives each function (NODE_OPTIONS=--enable-source-maps).
 */
export async function coldImportMs(file: string, runs: number, extraEnv: Readonly<Record<string, string>> = {}): Promise<number[]> {
  return coldImportOf(pathToFileURL(file).href, runs, extraEnv);
}

/**
 * Reference points measured the same way: packages the bundles load, each alone, the way the bundles load them, and
 * node:http / node:https both ways (bundles `require` them, see BUILTIN_ALIASES in infra/constructs/bundling-options.ts).
 */
export const IMPORT_REFERENCES: ReadonlyArray<{ readonly label: string; readonly specifiers: readonly string[]; readonly via: 'require' | 'import' }> = [
  { label: 'DynamoDB document client (@aws-sdk/client-dynamodb + lib-dynamodb), alone', specifiers: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'], via: 'import' },
  { label: 'Step Functions client (@aws-sdk/client-sfn), alone', specifiers: ['@aws-sdk/client-sfn'], via: 'import' },
  { label: 'node:http + node:https with require, as the bundles load them', specifiers: ['node:http', 'node:https'], via: 'require' },
  { label: 'the same with import()', specifiers: ['node:http', 'node:https'], via: 'import' },
  { label: 'Powertools Tracer with the X-Ray SDK (@aws-lambda-powertools/tracer, unbundled), alone', specifiers: ['@aws-lambda-powertools/tracer'], via: 'import' },
];

/** The child for references: loads each specifier in turn (require or import()) and prints the total milliseconds. */
const LOAD_PROBE = `import { createRequire } from 'node:module';
const [via, ...specifiers] = process.argv.slice(1); const load = createRequire(process.cwd() + '/');
const t0 = performance.now();
for (const s of specifiers) { if (via === 'require') load(s); else await import(s); }
console.log(performance.now() - t0);`;

export async function coldImportOf(specifier: string, runs: number, extraEnv: Readonly<Record<string, string>> = {}): Promise<number[]> {
  return coldLoad([IMPORT_PROBE, specifier], runs, extraEnv);
}

export async function coldLoadOf(reference: (typeof IMPORT_REFERENCES)[number], runs: number): Promise<number[]> {
  return coldLoad([LOAD_PROBE, reference.via, ...reference.specifiers], runs, {});
}

async function coldLoad(probeAndArgs: readonly string[], runs: number, extraEnv: Readonly<Record<string, string>>): Promise<number[]> {
  const env = { ...process.env, ...BUNDLE_RUNTIME_ENV, AWS_REGION: 'us-east-1', POWERTOOLS_DEV: 'false', ...extraEnv };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', ...probeAndArgs], { env, cwd: ROOT, timeout: 30_000 });
    const ms = Number(stdout.trim().split('\n').pop());
    if (!Number.isFinite(ms)) throw new Error(`cold load of ${probeAndArgs.slice(1).join(' ')} printed ${JSON.stringify(stdout)}`);
    times.push(ms);
  }
  return times;
}
