/** WorkflowGateway on Step Functions (the local runtime serves the same API for the synthesized definitions). */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { meter } from '../../observability/cost-meter.ts';
import type { EscalationInput, MessageWorkflowInput, WorkflowGateway } from '../../ports/gateways.ts';
import type { SlaTimerInput, SlaTimerStarter } from '../../application/sla.use-cases.ts';
import { loadStepFunctionsSdk, stepFunctionsClient } from './client.ts';

/**
 * Starts a Standard execution by name: a second start with the same name and input is a no-op (so is one with
 * another input: the name already ran, e.g. a redelivered event).
 */
async function startOnce(clientOf: () => Promise<SFNClient>, stateMachineArn: string, name: string, input: object): Promise<void> {
  const [{ StartExecutionCommand }, client] = await Promise.all([loadStepFunctionsSdk(), clientOf()]);
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
  }
}

export class StepFunctionsWorkflowGateway implements WorkflowGateway {
  constructor(
    private readonly client: () => Promise<SFNClient>,
    private readonly messageWorkflowArn: () => string,
    private readonly escalationWorkflowArn: () => string = () => {
      throw new Error('this function does not start escalations');
    },
  ) {}

  async startEscalation(name: string, input: EscalationInput): Promise<void> {
    await startOnce(this.client, this.escalationWorkflowArn(), name, input);
  }

  async runMessageWorkflow(input: MessageWorkflowInput) {
    const [{ StartSyncExecutionCommand }, client] = await Promise.all([loadStepFunctionsSdk(), this.client()]);
    const res = await client.send(new StartSyncExecutionCommand({ stateMachineArn: this.messageWorkflowArn(), name: `${input.messageId}`, input: JSON.stringify(input) }));
    const status = res.status ?? 'FAILED';
    if (res.billingDetails) meter.expressExecution(res.billingDetails.billedDurationInMilliseconds ?? 0, res.billingDetails.billedMemoryUsedInMB ?? 64);
    return {
      status,
      ...(res.output ? { output: JSON.parse(res.output) as unknown } : {}),
      ...(res.error ? { error: `${res.error}: ${res.cause ?? ''}` } : {}),
    };
  }

  async completeTask(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<'completed' | 'expired'> {
    const [{ SendTaskSuccessCommand }, client] = await Promise.all([loadStepFunctionsSdk(), this.client()]);
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'completed';
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') return 'expired';
      throw error;
    }
  }
}

/** The SLA timer workflow: one Standard execution per ticket SLA version, named after it. */
export class StepFunctionsSlaTimers implements SlaTimerStarter {
  constructor(
    private readonly client: () => Promise<SFNClient>,
    private readonly timerWorkflowArn: () => string,
  ) {}

  async startSlaTimer(name: string, input: SlaTimerInput): Promise<void> {
    // That SLA version has its timer already (a redelivered stream record): nothing to do.
    await startOnce(this.client, this.timerWorkflowArn(), name, input);
  }
}

/**
 * The state transitions a Standard execution was billed for, counted from its own history: every state entered, plus
 * every retry of a Task (a TaskScheduled beyond the Task's entries).
 */
export async function executionTransitions(executionArn: string): Promise<number> {
  const [{ GetExecutionHistoryCommand }, client] = await Promise.all([loadStepFunctionsSdk(), stepFunctionsClient()]);
  let entered = 0;
  let taskEntered = 0;
  let scheduled = 0;
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: false, ...(nextToken ? { nextToken } : {}) }));
    for (const event of page.events ?? []) {
      const type = event.type ?? '';
      if (type.endsWith('StateEntered')) entered += 1;
      if (type === 'TaskStateEntered') taskEntered += 1;
      if (type === 'TaskScheduled') scheduled += 1;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return entered + Math.max(0, scheduled - taskEntered);
}
