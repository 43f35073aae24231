/**
 * The local runtime in its own process for the benchmark, so that the load generator does not share its event loop
 * (as with `npm start` and a client). Prints one JSON line describing it, stops on SIGTERM.
 */
import { startLocalRuntime } from '../../infra/local/runtime.ts';

const runtime = await startLocalRuntime({ port: 0, seed: true });
process.stdout.write(`${JSON.stringify({ url: runtime.url, webSocketUrl: runtime.webSocketUrl, dynamoDbEndpoint: runtime.dynamoDbEndpoint, tables: runtime.tables, readyInMs: runtime.readyInMs })}\n`);
process.once('SIGTERM', () => {
  void runtime.stop().then(() => process.exit(0));
});
