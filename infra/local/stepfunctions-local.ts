/**
 * The local Step Functions: the definitions rendered from the synthesized CloudFormation template (the very strings
 * that deploy, with their substitutions resolved to local ARNs), executed by aws-local-stepfunctions. Every Task is
 * mapped to the local handler of the function it invokes; `.waitForTaskToken` tasks park on a token registry that
 * SendTaskSuccess / SendTaskFailure complete; `states:startExecution` starts a local execution.
 *
 * It serves the subset of the Step Functions API that Kefu's functions call (StartExecution, StartSyncExecution,
 * SendTaskSuccess, SendTaskFailure, DescribeExecution, ListExecutions, GetExecutionHistory) in the AWS JSON 1.0 protocol, so the functions
 * use the real SDK client against it.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { manifest, type FunctionId, type WorkflowId } from '../../shared/manifest/manifest.ts';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export const localFunctionArn = (id: FunctionId) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:kefu-local-${id}`;
export const localWorkflowArn = (id: WorkflowId) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:kefu-local-${id}`;

type CfnValue = unknown;
interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
}
interface CfnTemplateLike {
  Resources: Record<string, CfnResource>;
}

export interface RenderedWorkflow {
  readonly id: WorkflowId;
  readonly type: 'EXPRESS' | 'STANDARD';
  readonly arn: string;
  readonly definition: Record<string, unknown>;
}

function tag(resource: CfnResource, key: string): string | undefined {
  const tags = resource.Properties?.Tags;
  if (Array.isArray(tags)) return (tags as { Key: string; Value: string }[]).find((t) => t.Key === key)?.Value;
  if (tags && typeof tags === 'object') return (tags as Record<string, string>)[key];
  return undefined;
}

/** Renders every workflow of the synthesized stateless template into a runnable definition with local ARNs. */
export function renderWorkflows(template: CfnTemplateLike): RenderedWorkflow[] {
  const localArnByLogicalId = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      const id = tag(resource, 'kefu:function');
      if (id) localArnByLogicalId.set(logicalId, localFunctionArn(id as FunctionId));
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      const id = tag(resource, 'kefu:workflow');
      if (id) localArnByLogicalId.set(logicalId, localWorkflowArn(id as WorkflowId));
    }
  }
  const resolve = (value: CfnValue): string => {
    if (typeof value === 'string') return value;
    const v = value as Record<string, unknown>;
    const logicalId = (v['Fn::GetAtt'] as string[] | undefined)?.[0] ?? (v.Ref as string | undefined);
    const arn = logicalId ? localArnByLogicalId.get(logicalId) : undefined;
    if (!arn) throw new Error(`cannot resolve substitution ${JSON.stringify(value)} locally`);
    return arn;
  };
  const rendered: RenderedWorkflow[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const id = tag(resource, 'kefu:workflow') as WorkflowId | undefined;
    if (!id) continue;
    const spec = manifest.workflows.find((w) => w.id === id);
    if (!spec) throw new Error(`template workflow ${id} is not in the manifest`);
    const raw = resource.Properties?.DefinitionString;
    if (typeof raw !== 'string') throw new Error(`workflow ${id}: DefinitionString must be a plain string with DefinitionSubstitutions`);
    const substitutions = (resource.Properties?.DefinitionSubstitutions ?? {}) as Record<string, CfnValue>;
    const text = raw.replace(/\$\{([A-Za-z0-9_]+)\}/g, (match, name: string) => (name in substitutions ? resolve(substitutions[name]) : match));
    rendered.push({ id, type: spec.type, arn: localWorkflowArn(id), definition: JSON.parse(text) as Record<string, unknown> });
  }
  for (const spec of manifest.workflows) if (!rendered.some((r) => r.id === spec.id)) throw new Error(`workflow ${spec.id} is missing from the template`);
  return rendered;
}

export class SfnApiError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}

export type InvokeFunction = (functionId: FunctionId, payload: unknown) => Promise<unknown>;

interface Execution {
  readonly arn: string;
  readonly workflow: RenderedWorkflow;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  readonly done: Promise<void>;
  abort?: () => void;
  /** Standard executions: their history as GetExecutionHistory gives it (the event types that bill transitions). */
  readonly history: { id: number; type: string; timestamp: number }[];
}

/** Told when a Standard execution ends, as EventBridge's "Step Functions Execution Status Change" is in AWS. */
export type ExecutionEndListener = (change: { executionArn: string; stateMachineArn: string; name: string; status: string; input: string; startDate: number; stopDate: number }) => void;

interface ParkedTask {
  readonly executionArn: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

function functionIdFromArn(arn: string): FunctionId {
  const match = /function:kefu-local-([a-z0-9-]+)$/.exec(arn);
  if (!match || !manifest.functions.some((f) => f.id === match[1])) throw new SfnApiError('Lambda.ResourceNotFoundException', `no local function ${arn}`);
  return match[1] as FunctionId;
}

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}

function taskStates(definition: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') out.push([name, state]);
    if (state.Type === 'Parallel') for (const branch of state.Branches as Record<string, unknown>[]) out.push(...taskStates(branch));
    if (state.Type === 'Map') out.push(...taskStates((state.ItemProcessor ?? state.Iterator) as Record<string, unknown>));
  }
  return out;
}

/** A function's error as Step Functions' Lambda integration reports it: the error's name is the error type. */
function asTaskError(error: unknown): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  const out = new Error(e.message);
  out.name = e.name && e.name !== 'Error' ? e.name : 'Error';
  return out;
}

export class LocalStepFunctions {
  private readonly workflows = new Map<string, RenderedWorkflow>();
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly parked = new Map<string, ParkedTask>();
  private stopped = false;

  constructor(
    workflows: readonly RenderedWorkflow[],
    private readonly invoke: InvokeFunction,
    private readonly onExecutionEnd?: ExecutionEndListener,
  ) {
    for (const workflow of workflows) {
      this.workflows.set(workflow.arn, workflow);
      this.machines.set(workflow.arn, new StateMachine(workflow.definition as never, { validationOptions: { checkArn: false, checkPaths: false } }));
    }
  }

  private overrides(executionArn: string, definition: Record<string, unknown>, placeholderToken: string) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of taskStates(definition)) {
      const resource = String(state.Resource);
      if (resource.endsWith(':states:::lambda:invoke')) {
        handlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          try {
            const payload = await this.invoke(functionIdFromArn(FunctionName), Payload);
            return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
          } catch (error) {
            throw asTaskError(error);
          }
        };
      } else if (resource.endsWith(':states:::lambda:invoke.waitForTaskToken')) {
        handlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          this.expireTokens(executionArn);
          const token = `${placeholderToken}.${randomUUID()}`;
          // Settles with an outcome rather than rejecting, so that a token expired after the runner stopped waiting
          // (the Task timed out) never surfaces as an unhandled rejection.
          const parked = new Promise<{ ok: unknown } | { error: Error }>((resolve) =>
            this.parked.set(token, { executionArn, resolve: (ok) => resolve({ ok }), reject: (error) => resolve({ error }) }),
          );
          try {
            await this.invoke(functionIdFromArn(FunctionName), replaceDeep(Payload, placeholderToken, token));
          } catch (error) {
            this.parked.delete(token);
            throw asTaskError(error);
          }
          const outcome = await parked;
          if ('error' in outcome) throw outcome.error;
          return outcome.ok;
        };
      } else if (resource.endsWith(':states:::states:startExecution')) {
        handlers[name] = async (input) => {
          const { StateMachineArn, Name, Input } = input as { StateMachineArn: string; Name?: string; Input?: unknown };
          try {
            const started = this.startExecution({ stateMachineArn: StateMachineArn, name: Name, input: typeof Input === 'string' ? Input : JSON.stringify(Input ?? {}) });
            return { ExecutionArn: started.executionArn, StartDate: started.startDate };
          } catch (error) {
            const e = error as SfnApiError;
            const out = new Error(e.message);
            out.name = `StepFunctions.${e.type ?? 'AWSStepFunctionsException'}`;
            throw out;
          }
        };
      } else {
        throw new Error(`task ${name}: resource ${resource} has no local mapping`);
      }
    }
    return handlers;
  }

  private expireTokens(executionArn: string): void {
    for (const [token, task] of this.parked) {
      if (task.executionArn === executionArn) {
        this.parked.delete(token);
        task.reject(new SfnApiError('TaskTimedOut', 'superseded'));
      }
    }
  }

  private begin(workflow: RenderedWorkflow, name: string, input: string): Execution {
    const arn = `${workflow.arn.replace(':stateMachine:', workflow.type === 'EXPRESS' ? ':express:' : ':execution:')}:${name}`;
    const placeholder = `local-task-token:${Buffer.from(arn).toString('base64url')}`;
    const machine = this.machines.get(workflow.arn)!;
    const startDate = new Date();
    const parsed = JSON.parse(input) as unknown;
    const run = machine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: this.overrides(arn, workflow.definition, placeholder) as never },
      context: {
        Execution: { Id: arn, Name: name, Input: parsed, StartTime: startDate.toISOString() },
        StateMachine: { Id: workflow.arn, Name: `kefu-local-${workflow.id}` },
        Task: { Token: placeholder },
      } as never,
    });
    const history: Execution['history'] = [];
    // A Standard execution keeps its history: each state entered (and each retry) is a billed transition.
    const logged =
      workflow.type === 'STANDARD'
        ? (async () => {
            for await (const event of run.eventLogs) {
              // As AWS writes it: a Task's entry is followed by TaskScheduled, and each retry schedules it again.
              if (event.type === 'StateEntered') history.push({ id: history.length + 1, type: `${event.state.type}StateEntered`, timestamp: event.timestamp });
              if ((event.type === 'StateEntered' && event.state.type === 'Task') || event.type === 'StateRetried') history.push({ id: history.length + 1, type: 'TaskScheduled', timestamp: event.timestamp });
            }
          })().catch(() => undefined)
        : Promise.resolve();
    const execution: Execution = {
      arn,
      workflow,
      name,
      input,
      startDate,
      status: 'RUNNING',
      history,
      done: run.result.then(
        (output: unknown) => {
          execution.status = 'SUCCEEDED';
          execution.output = JSON.stringify(output ?? null);
        },
        (error: Error & { cause?: Error }) => {
          const cause = error.cause instanceof Error ? error.cause : error;
          execution.status = cause.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          execution.error = cause.name;
          execution.cause = cause.message;
        },
      ).finally(async () => {
        execution.stopDate = new Date();
        this.expireTokens(arn);
        if (workflow.type === 'STANDARD' && this.onExecutionEnd) {
          await logged;
          this.onExecutionEnd({ executionArn: arn, stateMachineArn: workflow.arn, name, status: execution.status, input, startDate: startDate.getTime(), stopDate: execution.stopDate.getTime() });
        }
      }),
    };
    execution.abort = run.abort;
    this.executions.set(arn, execution);
    return execution;
  }

  private workflowFor(arn: string): RenderedWorkflow {
    const workflow = this.workflows.get(arn);
    if (!workflow) throw new SfnApiError('StateMachineDoesNotExist', `state machine ${arn} does not exist`);
    return workflow;
  }

  startExecution(params: { stateMachineArn: string; name?: string; input?: string }) {
    if (this.stopped) throw new SfnApiError('ServiceUnavailable', 'local step functions stopped');
    const workflow = this.workflowFor(params.stateMachineArn);
    const name = params.name ?? randomUUID();
    const input = params.input ?? '{}';
    const arn = `${workflow.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Standard workflows: the same name and input is idempotent while the execution runs or is recent.
      if (existing.input === input) return { executionArn: existing.arn, startDate: existing.startDate.getTime() / 1000 };
      throw new SfnApiError('ExecutionAlreadyExists', `execution ${name} already exists with another input`);
    }
    const execution = this.begin(workflow, name, input);
    return { executionArn: execution.arn, startDate: execution.startDate.getTime() / 1000 };
  }

  async startSyncExecution(params: { stateMachineArn: string; name?: string; input?: string }) {
    const workflow = this.workflowFor(params.stateMachineArn);
    if (workflow.type !== 'EXPRESS') throw new SfnApiError('StateMachineTypeNotSupported', 'StartSyncExecution needs an Express workflow');
    const execution = this.begin(workflow, `${params.name ?? randomUUID()}-${randomUUID().slice(0, 8)}`, params.input ?? '{}');
    await execution.done;
    this.executions.delete(execution.arn);
    return {
      executionArn: execution.arn,
      stateMachineArn: workflow.arn,
      name: execution.name,
      startDate: execution.startDate.getTime() / 1000,
      stopDate: (execution.stopDate ?? new Date()).getTime() / 1000,
      // As AWS reports an Express execution's billing: duration in 100 ms steps, memory at the 64 MB minimum.
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(((execution.stopDate ?? new Date()).getTime() - execution.startDate.getTime()) / 100) * 100) },
      status: execution.status,
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
    };
  }

  sendTaskSuccess(params: { taskToken: string; output: string }) {
    const task = this.parked.get(params.taskToken);
    if (!task) throw new SfnApiError(params.taskToken.startsWith('local-task-token:') ? 'TaskTimedOut' : 'InvalidToken', 'task token is not waiting');
    this.parked.delete(params.taskToken);
    task.resolve(JSON.parse(params.output) as unknown);
    return {};
  }

  sendTaskFailure(params: { taskToken: string; error?: string; cause?: string }) {
    const task = this.parked.get(params.taskToken);
    if (!task) throw new SfnApiError('TaskTimedOut', 'task token is not waiting');
    this.parked.delete(params.taskToken);
    const error = new Error(params.cause ?? '');
    error.name = params.error ?? 'TaskFailed';
    task.reject(error);
    return {};
  }

  describeExecution(params: { executionArn: string }) {
    const execution = this.executions.get(params.executionArn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `execution ${params.executionArn} does not exist`);
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.workflow.arn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime() / 1000,
      input: execution.input,
      ...(execution.stopDate ? { stopDate: execution.stopDate.getTime() / 1000 } : {}),
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
    };
  }

  listExecutions(params: { stateMachineArn: string; statusFilter?: string }) {
    const executions = [...this.executions.values()]
      .filter((e) => e.workflow.arn === params.stateMachineArn && (!params.statusFilter || e.status === params.statusFilter))
      .map((e) => ({ executionArn: e.arn, stateMachineArn: e.workflow.arn, name: e.name, status: e.status, startDate: e.startDate.getTime() / 1000 }));
    return { executions };
  }

  /** Waits for an execution to end (tests and the local runtime's shutdown). */
  async settled(executionArn: string): Promise<void> {
    await this.executions.get(executionArn)?.done;
  }

  /** Dispatches one AWS JSON 1.0 call (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
  async call(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body as never);
      case 'StartSyncExecution':
        return this.startSyncExecution(body as never);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body as never);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body as never);
      case 'SendTaskHeartbeat':
        if (!this.parked.has(String(body.taskToken))) throw new SfnApiError('TaskTimedOut', 'task token is not waiting');
        return {};
      case 'DescribeExecution':
        return this.describeExecution(body as never);
      case 'ListExecutions':
        return this.listExecutions(body as never);
      case 'GetExecutionHistory': {
        const execution = this.executions.get(String(body.executionArn));
        if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `execution ${String(body.executionArn)} does not exist`);
        return { events: execution.history.map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp / 1000 })) };
      }
      default:
        throw new SfnApiError('UnknownOperationException', `operation ${operation} is not served locally`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.abort?.();
    for (const [token, task] of this.parked) {
      this.parked.delete(token);
      task.reject(new SfnApiError('TaskTimedOut', 'local runtime stopping'));
    }
  }
}
