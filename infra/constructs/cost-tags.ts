/**
 * Cost allocation tags: what the AWS bill can be grouped by once they are activated in the Billing console, chosen to
 * line up with the cost ledger's dimensions so that Cost Explorer and `npm run kefu -- costs report --by capability`
 * can be compared.
 *   - `kefu:project` = `kefu` and `kefu:stage` = the stage, on every resource of both stacks;
 *   - `kefu:capability`: a function's (and its log group's, role's, dead-letter queue's) capability as the cost meter
 *     counts it (`capabilityOf`), `storage` for tables, `workflow:<id>` for a state machine (its role, its log group),
 *     `edge` for the APIs, CloudFront, Cognito and the console hosting, and `platform` for the rest (alarms, their
 *     topic and key, secrets, CDK's helper functions).
 */
import { Tags, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { capabilityOf } from '../../shared/observability/cost-meter.ts';
import type { FunctionId, WorkflowId } from '../../shared/manifest/manifest.ts';

export const PROJECT_TAG = 'kefu:project';
export const STAGE_TAG = 'kefu:stage';
export const CAPABILITY_TAG = 'kefu:capability';

/** Value of {@link PROJECT_TAG}. */
export const PROJECT = 'kefu';

/** Capability of the storage (tables). */
export const STORAGE_CAPABILITY = 'storage';
/** Capability of what faces the outside: HTTP and WebSocket APIs, CloudFront, Cognito, console hosting. */
export const EDGE_CAPABILITY = 'edge';
/** Capability of whatever nothing more specific claims (alarms, the alarm topic and its key, secrets, CDK helpers). */
export const PLATFORM_CAPABILITY = 'platform';

/** Below the default priority of `Tags.of().add` (100): a construct's own capability tag always wins over the stack's. */
const STACK_DEFAULT_PRIORITY = 50;

/** Project, stage and the default capability on every resource of a stack (the stack itself gets them as stack tags). */
export function tagStack(stack: Stack, stage: string): void {
  Tags.of(stack).add(PROJECT_TAG, PROJECT);
  Tags.of(stack).add(STAGE_TAG, stage);
  Tags.of(stack).add(CAPABILITY_TAG, PLATFORM_CAPABILITY, { priority: STACK_DEFAULT_PRIORITY });
}

/** The tags a stack carries itself (CloudFormation passes them on to every resource that supports tags). */
export function stackTags(stage: string): Record<string, string> {
  return { [PROJECT_TAG]: PROJECT, [STAGE_TAG]: stage };
}

/** `kefu:capability` on a construct and everything under it. */
export function tagCapability(scope: IConstruct, capability: string): void {
  Tags.of(scope).add(CAPABILITY_TAG, capability);
}

/** A function's capability, as the cost meter attributes its invocations. */
export function functionCapability(id: FunctionId): string {
  return capabilityOf(id);
}

/** A workflow's capability: `workflow:<id>`. */
export function workflowCapability(id: WorkflowId): string {
  return `workflow:${id}`;
}
