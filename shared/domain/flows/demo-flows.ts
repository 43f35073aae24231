/** The demo shop's flows (shared/flows/demo/*.flow.json), parsed and checked. */
import orderStatus from '../../flows/demo/order-status.flow.json' with { type: 'json' };
import returnRefund from '../../flows/demo/return-refund.flow.json' with { type: 'json' };
import { parseFlowDefinition, type FlowDefinition } from './flow-definition.ts';

export function demoFlows(): FlowDefinition[] {
  return [parseFlowDefinition(orderStatus), parseFlowDefinition(returnRefund)];
}
