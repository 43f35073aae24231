/**
 * The bundling options every function ships with (infra/constructs/bundling-options.ts): one function bundled for real
 * with esbuild, then loaded in a fresh Node process the way Lambda would load it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { BUNDLE_RUNTIME_ENV, copyRuntimePackages, esbuildBuildOptions, kefuBundlingOptions } from '../../infra/constructs/bundling-options.ts';
import { manifest } from '../../shared/manifest/manifest.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
// Inside the repository, so that the bundle finds the AWS SDK it leaves external in node_modules, as it finds the
// runtime's SDK on Lambda.
mkdirSync(join(ROOT, '.kefu'), { recursive: true });
const dir = mkdtempSync(join(ROOT, '.kefu', 'bundle-test-'));
const webchat = manifest.functions.find((f) => f.id === 'webchat')!;
let code = '';
const file = join(dir, 'index.mjs');

beforeAll(async () => {
  await build({ ...esbuildBuildOptions(join(ROOT, webchat.entry), file), absWorkingDir: ROOT, logLevel: 'silent' });
  code = readFileSync(file, 'utf8');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('function bundles', () => {
  it('leave the AWS SDK out: the Lambda runtime provides it', () => {
    expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code).not.toContain('DynamoDBServiceException');
  });

  it('require node:http and node:https instead of importing them', () => {
    expect(code).not.toMatch(/from\s*"(node:)?https?"/);
    expect(code).toMatch(/\("https?"\)/);
  });

  it('pass the same aliases to the CDK bundling as to the esbuild API', () => {
    const args = kefuBundlingOptions.esbuildArgs ?? {};
    const { alias } = esbuildBuildOptions('entry.ts', 'out.mjs');
    expect(Object.keys(alias).sort()).toEqual(['node:http', 'node:https']);
    for (const [from, to] of Object.entries(alias)) expect(args[`--alias:${from}`]).toBe(to);
  });

  it('load in a fresh Node process with the runtime environment the CDK app sets', async () => {
    const probe = 'const m = await import(process.argv[1]); console.log(typeof m.handler);';
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe, pathToFileURL(file).href], {
      cwd: ROOT,
      env: { ...process.env, ...BUNDLE_RUNTIME_ENV, AWS_REGION: 'us-east-1' },
    });
    expect(stdout.trim()).toBe('function');
  });
});

describe('runtime packages', () => {
  it('copies jieba into the bot-answer asset so that require finds it there, outside the repository', async () => {
    const spec = manifest.functions.find((f) => f.id === 'bot-answer')!;
    expect(spec.runtimePackages?.map((p) => p.name)).toEqual(['jieba-wasm']);
    const out = mkdtempSync(join(tmpdir(), 'kefu-asset-'));
    try {
      for (const command of copyRuntimePackages(spec.runtimePackages!, ROOT, out)) {
        await promisify(execFile)('sh', ['-c', command]);
      }
      const jieba = createRequire(join(out, 'index.mjs'))('jieba-wasm') as { cut(text: string, hmm: boolean): string[] };
      expect(jieba.cut('退货怎么办', true)).toContain('退货');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
