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

/** Reference points measured the same way: bare packages the bundles import (e.g. the AWS SDK clients they leave external). */
export const IMPORT_REFERENCES: ReadonlyArray<{ readonly label: string; readonly specifier: string }> = [
  { label: 'DynamoDB document client (@aws-sdk/lib-dynamodb + client-dynamodb), alone', specifier: '@aws-sdk/lib-dynamodb' },
  { label: 'Step Functions client (@aws-sdk/client-sfn), alone', specifier: '@aws-sdk/client-sfn' },
  { label: 'Powertools Tracer with the X-Ray SDK (@aws-lambda-powertools/tracer, unbundled), alone', specifier: '@aws-lambda-powertools/tracer' },
];

export async function coldImportOf(specifier: string, runs: number, extraEnv: Readonly<Record<string, string>> = {}): Promise<number[]> {
  const env = { ...process.env, ...BUNDLE_RUNTIME_ENV, AWS_REGION: 'us-east-1', POWERTOOLS_DEV: 'false', ...extraEnv };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, specifier], { env, cwd: ROOT, timeout: 30_000 });
    const ms = Number(stdout.trim().split('\n').pop());
    if (!Number.isFinite(ms)) throw new Error(`cold import of ${specifier} printed ${JSON.stringify(stdout)}`);
    times.push(ms);
  }
  return times;
}
