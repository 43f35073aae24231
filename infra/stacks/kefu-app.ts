/**
 * Composes one Kefu stage into an app: the stateful and stateless stacks, their names, and the cdk-nag AwsSolutions
 * checks. Shared by the CLI entry (infra/app.ts) and the in-process synthesis (infra/synth.ts).
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig, type KefuConfig } from '../config/kefu-config.ts';
import { stackTags, tagStack } from '../constructs/cost-tags.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export interface KefuStacks {
  readonly config: KefuConfig;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** Stack name of a stage's stateful stack: `Kefu-dev-Stateful`. */
export function statefulStackName(config: KefuConfig): string {
  return `Kefu-${config.stage}-Stateful`;
}

/** Stack name of a stage's stateless stack: `Kefu-dev-Stateless`. */
export function statelessStackName(config: KefuConfig): string {
  return `Kefu-${config.stage}-Stateless`;
}

export interface AddKefuStacksOptions {
  /**
   * Repository root that manifest paths are relative to.
   *
   * @default - the root of this repository
   */
  readonly repositoryRoot?: string;
}

/** Adds the stage named by the app's context (`-c stage=dev|prod`) to the app, with cdk-nag checks. */
export function addKefuStacks(app: App, options: AddKefuStacksOptions = {}): KefuStacks {
  const config = readConfig((key) => app.node.tryGetContext(key));
  // Environment-agnostic on purpose: the stacks deploy to the account and region of the deploying credentials, and the
  // templates are the same whether synthesized by the CLI, the tests or the local runtime.
  const description = `Kefu customer service (${config.stage})`;
  const stateful = new StatefulStack(app, statefulStackName(config), {
    config,
    description: `${description}: tables, user pool, secrets, buckets`,
    terminationProtection: config.stage === 'prod',
    tags: stackTags(config.stage),
  });
  const stateless = new StatelessStack(app, statelessStackName(config), {
    config,
    description: `${description}: APIs, functions, workflows, console hosting, alarms`,
    tables: stateful.tables,
    userPool: stateful.userPool,
    consoleClient: stateful.consoleClient,
    customerTokenSecret: stateful.customerTokenSecret,
    connectorsSecret: stateful.connectorsSecret,
    channelSecrets: stateful.channelSecrets,
    tags: stackTags(config.stage),
    ...(options.repositoryRoot ? { repositoryRoot: options.repositoryRoot } : {}),
  });
  stateless.addStackDependency(stateful, 'the application uses the tables, user pool, secret and buckets');
  // Cost allocation tags on every resource (see infra/constructs/cost-tags.ts).
  for (const stack of [stateful, stateless]) tagStack(stack, config.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { config, stateful, stateless };
}
