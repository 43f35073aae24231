/** WorkflowGateway on Step Functions (the local runtime serves the same API for the synthesized definitions). */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { meter } from '../../observability/cost-meter.ts';
import type { EscalationInput, MessageWorkflowInput, WorkflowGateway } from '../../ports/gateways.ts';
import type { SlaTimerInput, SlaTimerStarter } from '../../application/sla.use-cases.ts';
import { loadStepFunctionsSdk } from './client.ts';

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
