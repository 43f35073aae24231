/**
 * CDK CLI entry (`npx cdk synth|deploy -c stage=dev|prod`): one Kefu stage, two stacks split by lifecycle.
 */
import { App } from 'aws-cdk-lib';
import { addKefuStacks } from './stacks/kefu-app.ts';

const app = new App();
addKefuStacks(app);
app.synth();
