/** `npm start`: the whole platform on this machine, on its embedded defaults, data kept in .kefu/ across restarts. */
import { resolve } from 'node:path';
import { startLocalRuntime } from './runtime.ts';

const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.KEFU_DATA_DIR ?? '.kefu');
const acceptTimeoutSeconds = Number(process.env.ACCEPT_TIMEOUT_SECONDS ?? 120);

const runtime = await startLocalRuntime({ port, dataDir, acceptTimeoutSeconds, onLog: (line) => console.error(`[kefu] ${line}`) }).catch((error: Error & { code?: string }) => {
  if (error.code === 'EADDRINUSE') console.error(`port ${port} is already in use (another npm start?); stop it or choose another port: PORT=3001 npm start`);
  else if (/Java|DynamoDB Local exited/.test(error.message)) console.error(`DynamoDB Local could not start: ${error.message}`);
  else console.error(error);
  process.exit(1);
});

console.log(`
Kefu is running locally (ready in ${(runtime.readyInMs / 1000).toFixed(1)} s)

  HTTP API        ${runtime.url}/v1   (health: ${runtime.url}/v1/health)
  WebSocket API   ${runtime.webSocketUrl}?token=<customer or agent token>
  Agent console   ${runtime.url}/console/   (sign in as agent-li, agent-chen [supervisor] or admin; password ${process.env.KEFU_LOCAL_PASSWORD ? 'from KEFU_LOCAL_PASSWORD' : '"kefu"'})
  Widget demo     ${runtime.url}/console/widget/demo.html   (the web chat widget on a shop page)
  Token issuer    ${runtime.issuer.issuer}   (stands in for Cognito)
  DynamoDB Local  ${runtime.dynamoDbEndpoint}   (data in ${dataDir})
  Demo orders     ${runtime.demoOrderServiceUrl}/orders/KF20240001   (the shop system the demo flows call)

  Token for a seeded agent:   npm run token -- agent-li      (others: agent-wang, agent-chen [supervisor], admin)
  Try it:                     see "Try the whole path" in README.md

Press Ctrl+C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('\nstopping…');
    void runtime.stop().then(() => process.exit(0));
  });
}
