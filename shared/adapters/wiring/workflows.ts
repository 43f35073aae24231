/** The workflow gateway (Step Functions). Functions that only complete tasks get no message workflow ARN and need none. */
import { workflowArn } from '../../config/runtime-config.ts';
import type { WorkflowGateway } from '../../ports/gateways.ts';
import { stepFunctionsClient } from '../stepfunctions/client.ts';
import { StepFunctionsSlaTimers, StepFunctionsWorkflowGateway } from '../stepfunctions/workflow-gateway.sfn.ts';
import { once } from './once.ts';

export const workflowGateway = once((): WorkflowGateway => new StepFunctionsWorkflowGateway(stepFunctionsClient, () => workflowArn('message'), () => workflowArn('escalation')));

export const slaTimers = once(() => new StepFunctionsSlaTimers(stepFunctionsClient, () => workflowArn('sla-timer')));
