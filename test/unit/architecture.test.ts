import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const forbidden = [/^@aws-sdk\//, /^aws-lambda$/, /^aws-cdk-lib/, /^@aws-lambda-powertools\//, /^@middy\//, /\/adapters\//, /\/observability\//];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('the dependency rule', () => {
  const layers = ['shared/domain', 'shared/application', 'shared/ports', 'shared/manifest'];

  for (const layer of layers) {
    it(`keeps ${layer} free of AWS, Lambda and adapter imports`, () => {
      // Prepare
      const sources = files(join(ROOT, layer));
      // Act
      const offenders = sources.flatMap((file) =>
        imports(readFileSync(file, 'utf8'))
          .filter((spec) => forbidden.some((re) => re.test(spec)))
          .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
      );
      // Assess
      expect(sources.length).toBeGreaterThan(0);
      expect(offenders).toEqual([]);
    });
  }

  it('finds a forbidden import when one is present (the rule can fail)', () => {
    expect(imports("import { DynamoDBClient } from '@aws-sdk/client-dynamodb';").some((s) => forbidden.some((re) => re.test(s)))).toBe(true);
  });
});
