/** The Step Functions client, created once per process; locally pointed at the local runtime's Step Functions API. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv } from '../../config/runtime-config.ts';

let sfnClient: SFNClient | undefined;

export function stepFunctionsClient(): SFNClient {
  if (!sfnClient) {
    const endpoint = optionalEnv(COMMON_ENV.stepFunctionsEndpoint);
    // The local endpoint has no host prefixes (StartSyncExecution normally goes to sync-states.<region>).
    sfnClient = new SFNClient(endpoint ? { endpoint, disableHostPrefix: true } : {});
  }
  return sfnClient;
}

export function resetStepFunctionsClient(): void {
  sfnClient = undefined;
}
