/**
 * The workflow meter: a Standard execution (escalation, SLA timer) bills per state transition, which no function
 * sees. When one ends, EventBridge delivers its status change here (locally the runtime does); the transitions are
 * counted from the execution's own history and recorded as this invocation's usage, for the execution's conversation
 * and under the workflow's capability (escalation → routing, sla-timer → ticket).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { executionTransitions } from '../../../shared/adapters/stepfunctions/workflow-gateway.sfn.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger, rawFunction } from '../../../shared/observability/handler-kit.ts';

type StatusChange = EventBridgeEvent<'Step Functions Execution Status Change', { executionArn: string; stateMachineArn: string; status: string; input?: string | null }>;

const CAPABILITY_OF_WORKFLOW: Readonly<Record<string, string>> = { escalation: 'routing', 'sla-timer': 'ticket' };

/** The workflow id of a state machine: from KEFU_METERED_WORKFLOWS ("id=arn,…", set by the CDK app), else its local name. */
function workflowOf(stateMachineArn: string): string | undefined {
  for (const pair of (process.env.KEFU_METERED_WORKFLOWS ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(at + 1) === stateMachineArn) return pair.slice(0, at);
  }
  return Object.keys(CAPABILITY_OF_WORKFLOW).find((id) => stateMachineArn.endsWith(`-${id}`));
}

function conversationOf(input: string | null | undefined): string | undefined {
  try {
    const parsed = input ? (JSON.parse(input) as { conversationId?: unknown; ticketId?: unknown }) : {};
    return typeof parsed.conversationId === 'string' ? parsed.conversationId : undefined;
  } catch {
    return undefined;
  }
}

export const handler = rawFunction<StatusChange, { transitions: number }>('workflow-meter', 'stream', async (event) => {
  const { executionArn, stateMachineArn, status, input } = event.detail;
  if (status === 'RUNNING') return { transitions: 0 };
  const workflow = workflowOf(stateMachineArn);
  const transitions = await executionTransitions(executionArn);
  meter.standardTransitions(transitions);
  meter.attribute(conversationOf(input));
  if (workflow) meter.capability(CAPABILITY_OF_WORKFLOW[workflow]!);
  logger.info('workflow execution metered', { executionArn, status, transitions });
  return { transitions };
});
