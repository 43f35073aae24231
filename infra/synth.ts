/**
 * In-process synthesis of the Kefu app, for the infra tests and the local runtime (which reads the state machines'
 * DefinitionString and DefinitionSubstitutions from the stateless template). It applies cdk.json's context, so feature
 * flags and validation rules match `npx cdk synth`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { REPOSITORY_ROOT } from './constructs/paths.ts';
import { addKefuStacks } from './stacks/kefu-app.ts';
import type { StatefulStack } from './stacks/stateful-stack.ts';
import type { StatelessStack } from './stacks/stateless-stack.ts';

export { FUNCTION_TAG } from './constructs/kefu-function.ts';
export { WORKFLOW_TAG } from './stacks/stateless-stack.ts';

export interface SynthesizeOptions {
  /**
   * Stage to synthesize.
   *
   * @default - the `stage` of cdk.json's context (dev)
   */
  readonly stage?: string;
  /**
   * Bundle the functions with esbuild. Off, templates carry placeholder assets and synthesis takes a second or two.
   *
   * @default true
   */
  readonly bundling?: boolean;
  /** Extra context (e.g. `{ maxOffers: 5 }`), applied over cdk.json's context. */
  readonly context?: Record<string, unknown>;
  /**
   * Cloud assembly directory.
   *
   * @default - a fresh temporary directory
   */
  readonly outdir?: string;
}

/** A CloudFormation template as plain JSON. */
export type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
};

export interface SynthesizedKefu {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly statefulTemplate: CfnTemplate;
  readonly statelessTemplate: CfnTemplate;
}

/** A resource of a template together with its logical id. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/**
 * Resources of a type that carry a tag, keyed by the tag's value: `taggedResources(t, 'AWS::StepFunctions::StateMachine',
 * WORKFLOW_TAG)` → `{ message: {...}, escalation: {...} }`. Throws when two resources carry the same value.
 */
export function taggedResources(template: CfnTemplate, type: string, tagKey: string): Record<string, TemplateResource> {
  const found: Record<string, TemplateResource> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== type) continue;
    const properties = resource.Properties ?? {};
    const tags = (properties['Tags'] ?? []) as { Key: string; Value: string }[];
    const value = tags.find((tag) => tag.Key === tagKey)?.Value;
    if (value === undefined) continue;
    if (found[value]) throw new Error(`two ${type} resources tagged ${tagKey}=${value}: ${found[value].logicalId}, ${logicalId}`);
    found[value] = { logicalId, type, properties };
  }
  return found;
}

/** The context of cdk.json: feature flags and the default stage. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** Builds the app as the CLI would (without synthesizing it). */
export function createKefuApp(options: SynthesizeOptions = {}): { app: App; stateful: StatefulStack; stateless: StatelessStack } {
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  if (options.stage !== undefined) context['stage'] = options.stage;
  // An empty list of stacks to bundle makes NodejsFunction skip esbuild and emit a placeholder asset.
  if (options.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const { stateful, stateless } = addKefuStacks(app);
  return { app, stateful, stateless };
}

/** Synthesizes both stacks of a stage and returns their templates as plain JSON. Throws on any validation failure. */
export function synthesize(options: SynthesizeOptions = {}): SynthesizedKefu {
  const { app, stateful, stateless } = createKefuApp(options);
  const assembly = app.synth();
  return {
    app,
    assembly,
    stateful,
    stateless,
    statefulTemplate: assembly.getStackArtifact(stateful.artifactId).template as CfnTemplate,
    statelessTemplate: assembly.getStackArtifact(stateless.artifactId).template as CfnTemplate,
  };
}
