/** WorkflowGateway on Step Functions (the local runtime serves the same API for the synthesized definitions). */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { EscalationInput, MessageWorkflowInput, WorkflowGateway } from '../../ports/gateways.ts';
import { loadStepFunctionsSdk } from './client.ts';

export class StepFunctionsWorkflowGateway implements WorkflowGateway {
  constructor(
    private readonly client: () => Promise<SFNClient>,
    private readonly messageWorkflowArn: () => string,
    private readonly escalationWorkflowArn: () => string = () => {
      throw new Error('this function does not start escalations');
    },
  ) {}

  async startEscalation(name: string, input: EscalationInput): Promise<void> {
    const [{ StartExecutionCommand }, client] = await Promise.all([loadStepFunctionsSdk(), this.client()]);
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn: this.escalationWorkflowArn(), name, input: JSON.stringify(input) }));
    } catch (error) {
      // Standard workflows: a second start with the same name and input is a no-op; another input is a real conflict.
      if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    }
  }

  async runMessageWorkflow(input: MessageWorkflowInput) {
    const [{ StartSyncExecutionCommand }, client] = await Promise.all([loadStepFunctionsSdk(), this.client()]);
    const res = await client.send(new StartSyncExecutionCommand({ stateMachineArn: this.messageWorkflowArn(), name: `${input.messageId}`, input: JSON.stringify(input) }));
    const status = res.status ?? 'FAILED';
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
