/**
 * The DynamoDB document client, created once per process and shared (Powertools' commons/clients habit). Locally an
 * endpoint override points it at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv } from '../../config/runtime-config.ts';

let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const endpoint = optionalEnv(COMMON_ENV.dynamoDbEndpoint);
    const base = new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 4 } : { maxAttempts: 4 });
    documentClient = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  }
  return documentClient;
}

/** For the local runtime: forget the client so that a new endpoint takes effect. */
export function resetDynamoDocumentClient(): void {
  documentClient = undefined;
}
