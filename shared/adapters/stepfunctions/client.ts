/**
 * The Step Functions SDK, loaded on first use and its client created once per process; locally pointed at the local
 * runtime's Step Functions API. Loading on first use keeps the client out of the cold start of functions that need it
 * only on rare routes (an agent's accept, an offer that finds the conversation already taken); a function that needs
 * it on every invocation preloads it at init with `loadStepFunctionsSdk()`.
 */
import type * as StepFunctionsSdk from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv } from '../../config/runtime-config.ts';

let sdk: Promise<typeof StepFunctionsSdk> | undefined;
let sfnClient: Promise<SFNClient> | undefined;

export function loadStepFunctionsSdk(): Promise<typeof StepFunctionsSdk> {
  sdk ??= import('@aws-sdk/client-sfn');
  return sdk;
}

export function stepFunctionsClient(): Promise<SFNClient> {
  sfnClient ??= loadStepFunctionsSdk().then(({ SFNClient: Client }) => {
    const endpoint = optionalEnv(COMMON_ENV.stepFunctionsEndpoint);
    // The local endpoint has no host prefixes (StartSyncExecution normally goes to sync-states.<region>).
    return new Client(endpoint ? { endpoint, disableHostPrefix: true } : {});
  });
  return sfnClient;
}

export function resetStepFunctionsClient(): void {
  sfnClient = undefined;
}
