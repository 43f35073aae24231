/** Logger, metrics and tracer from one module (Powertools' habit), one instance each per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kefu' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Kefu', serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kefu' });

/**
 * The tracer, loaded only when tracing is on (the default in AWS): the X-Ray SDK under it is one of the costliest
 * imports of a cold start, and a process with POWERTOOLS_TRACE_ENABLED=false (the local runtime, tests) never uses it.
 */
export const tracingEnabled = process.env.POWERTOOLS_TRACE_ENABLED !== 'false';
export const tracer: Tracer | undefined = tracingEnabled
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'kefu' })
  : undefined;
