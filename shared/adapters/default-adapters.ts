/**
 * The adapters a function uses, chosen by configuration and created once per process (lazily, so that a function
 * only needs the environment of what it actually uses). Entry points wire use cases from these at module scope.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { monotonicFactory } from 'ulid';
import { COMMON_ENV } from '../manifest/manifest.ts';
import { escalationSettings, optionalEnv, requireEnv, tableName, workflowArn } from '../config/runtime-config.ts';
import { systemClock, type Clock, type CustomerTokens, type Ids, type LiveUpdates, type WorkflowGateway } from '../ports/gateways.ts';
import { dynamoDocumentClient, stepFunctionsClient } from './aws-clients.ts';
import { DynamoDbConversationStore } from './dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbAgentDirectory, DynamoDbCustomerDirectory, DynamoDbKnowledgeSource, DynamoDbTicketStore } from './dynamodb/directory.dynamodb.ts';
import { StepFunctionsWorkflowGateway } from './stepfunctions/workflow-gateway.sfn.ts';
import { JoseCustomerTokens } from './tokens/customer-tokens.jose.ts';
import { ConnectionRegistry, WebSocketLiveUpdates } from './websocket/live-updates.websocket.ts';
import { logger } from '../observability/powertools.ts';

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

const ulid = monotonicFactory();
export const ids: Ids = { next: () => ulid().toLowerCase() };
export const clock: Clock = systemClock;

export const conversationStore = once(
  () => new DynamoDbConversationStore(dynamoDocumentClient(), { conversations: tableName('conversations'), messages: tableName('messages'), idempotency: tableName('idempotency') }),
);
export const agentDirectory = once(() => new DynamoDbAgentDirectory(dynamoDocumentClient(), tableName('agents')));
export const customerDirectory = once(() => new DynamoDbCustomerDirectory(dynamoDocumentClient(), tableName('customers')));
export const knowledgeSource = once(() => new DynamoDbKnowledgeSource(dynamoDocumentClient(), tableName('knowledge')));
export const ticketStore = once(() => new DynamoDbTicketStore(dynamoDocumentClient(), tableName('tickets')));
export const connectionRegistry = once(() => new ConnectionRegistry(dynamoDocumentClient(), tableName('connections')));

export const liveUpdates = once(
  (): LiveUpdates =>
    new WebSocketLiveUpdates(connectionRegistry(), requireEnv(COMMON_ENV.webSocketEndpoint), (error, detail) =>
      logger.warn('live update failed', { ...detail, error: error as Error }),
    ),
);

/** Functions that only complete tasks (accept) do not start the message workflow and get no ARN for it. */
export const workflowGateway = once((): WorkflowGateway => new StepFunctionsWorkflowGateway(stepFunctionsClient(), () => workflowArn('message')));

export const escalation = once(() => escalationSettings());

let tokens: Promise<CustomerTokens> | undefined;
/** Customer tokens, with the secret from Secrets Manager (AWS) or the environment (local), read once. */
export function customerTokens(): Promise<CustomerTokens> {
  tokens ??= (async () => {
    const local = optionalEnv(COMMON_ENV.customerTokenSecret);
    if (local) return new JoseCustomerTokens(local);
    const arn = requireEnv(COMMON_ENV.customerTokenSecretArn);
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
    if (!secret.SecretString) throw new Error('customer token secret has no string value');
    return new JoseCustomerTokens(secret.SecretString);
  })();
  tokens.catch(() => {
    tokens = undefined;
  });
  return tokens;
}
