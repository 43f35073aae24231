import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionArnVariable, manifest, workflowArnVariable } from '../../shared/manifest/manifest.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('the manifest', () => {
  it('points every function at an entry file that exports a handler', () => {
    for (const fn of manifest.functions) {
      const path = join(ROOT, fn.entry);
      expect(existsSync(path), fn.entry).toBe(true);
      expect(readFileSync(path, 'utf8'), fn.entry).toMatch(/export const handler\b/);
    }
  });

  it('routes every route to a known function, with unique method + path and unique names per function', () => {
    const keys = manifest.routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of manifest.routes) expect(manifest.functions.some((f) => f.id === route.functionId), route.path).toBe(true);
    const names = manifest.routes.map((r) => `${r.functionId}.${r.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every table a unique environment variable and only known tables to functions', () => {
    const vars = manifest.tables.map((t) => t.envVar);
    expect(new Set(vars).size).toBe(vars.length);
    for (const fn of manifest.functions) for (const table of Object.keys(fn.tables)) expect(manifest.tables.some((t) => t.id === table), `${fn.id} → ${table}`).toBe(true);
  });

  it('covers every substitution of each workflow definition with its invokes and starts', () => {
    for (const workflow of manifest.workflows) {
      const text = readFileSync(join(ROOT, workflow.definition), 'utf8');
      const used = new Set([...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]!));
      const declared = new Set([...workflow.invokes.map(functionArnVariable), ...(workflow.starts ?? []).map(workflowArnVariable), 'AcceptTimeoutSeconds']);
      for (const name of used) expect(declared.has(name), `${workflow.id} uses \${${name}}`).toBe(true);
      for (const fn of workflow.invokes) expect(used.has(functionArnVariable(fn)), `${workflow.id} declares ${fn}`).toBe(true);
    }
  });

  it('writes no route path or table name outside the manifest', async () => {
    // Prepare: the source folders that must take paths and names from the manifest.
    const { execSync } = await import('node:child_process');
    const listed = execSync('git ls-files functions shared infra', { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts') && !f.includes('manifest.ts'));
    // Act
    const offenders = listed.filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return manifest.routes.some((r) => text.includes(`'${r.path}'`) || text.includes(`"${r.path}"`));
    });
    // Assess
    expect(offenders).toEqual([]);
  });
});
