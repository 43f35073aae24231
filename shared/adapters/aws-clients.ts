/**
 * SDK clients, created once per process and shared (Powertools' commons/clients habit). Locally an endpoint override
 * points each at the local runtime's stand-in (DynamoDB Local, the local Step Functions and @connections endpoints).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { COMMON_ENV } from '../manifest/manifest.ts';
import { optionalEnv } from '../config/runtime-config.ts';

let documentClient: DynamoDBDocumentClient | undefined;
let sfnClient: SFNClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const endpoint = optionalEnv(COMMON_ENV.dynamoDbEndpoint);
    const base = new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 4 } : { maxAttempts: 4 });
    documentClient = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return documentClient;
}

export function stepFunctionsClient(): SFNClient {
  if (!sfnClient) {
    const endpoint = optionalEnv(COMMON_ENV.stepFunctionsEndpoint);
    // The local endpoint has no host prefixes (StartSyncExecution normally goes to sync-states.<region>).
    sfnClient = new SFNClient(endpoint ? { endpoint, disableHostPrefix: true } : {});
  }
  return sfnClient;
}

/** For tests and the local runtime: forget the clients so that a new endpoint takes effect. */
export function resetClients(): void {
  documentClient = undefined;
  sfnClient = undefined;
}
