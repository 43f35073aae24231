/**
 * `Kefu-<stage>-Stateful`: everything that holds data or identity and must survive redeploys of the application:
 * the DynamoDB tables of the manifest, the Cognito user pool of the console, the customer-token signing secret and
 * the console's asset and access-log buckets. Construct ids here are a public contract: renaming one replaces the
 * resource and loses its data.
 */
import { Aws, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { manifest, pascalCase, ROLES, type SecretChannel, type TableId, type TableSpec } from '../../shared/manifest/manifest.ts';
import { isProd, type KefuConfig } from '../config/kefu-config.ts';
import { EDGE_CAPABILITY, STORAGE_CAPABILITY, tagCapability } from '../constructs/cost-tags.ts';

export interface StatefulStackProps extends StackProps {
  readonly config: KefuConfig;
}

/**
 * Physical name of a stage's console bucket. Buckets are named (account and region make the name unique) so that the
 * stateless stack can address them without a cross-stack export, and so that their ARNs are predictable in IAM findings.
 */
/** Physical name of a stage's mail bucket (raw inbound e-mail, attachments): fixed, so policies can name its prefixes. */
export function mailBucketName(stage: string): string {
  return `kefu-${stage}-mail-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

export function consoleBucketName(stage: string): string {
  return `kefu-${stage}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** Physical name of a stage's access-log bucket (console bucket access logs, CloudFront standard logs). */
export function accessLogsBucketName(stage: string): string {
  return `kefu-${stage}-access-logs-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** Construct id of a manifest table: `messages` → `MessagesTable`. */
export function tableConstructId(id: TableId): string {
  return `${pascalCase(id)}Table`;
}

/** Tables, identity, secrets and buckets of one Kefu stage. */
export class StatefulStack extends Stack {
  readonly config: KefuConfig;
  readonly tables: Readonly<Record<TableId, dynamodb.TableV2>>;
  readonly userPool: cognito.UserPool;
  readonly consoleClient: cognito.UserPoolClient;
  readonly customerTokenSecret: secretsmanager.Secret;
  /** Base URLs and credentials of the company's own systems that multi-turn flows call (JSON, see docs/FLOWS.md). */
  readonly connectorsSecret: secretsmanager.Secret;
  /** One secret per messaging channel (JSON of the channel's keys: tokens, app secrets), filled after deploying. */
  readonly channelSecrets: Readonly<Partial<Record<SecretChannel, secretsmanager.Secret>>>;
  readonly consoleBucket: s3.Bucket;
  /** Raw inbound e-mail (SES's S3 action, `email/inbound/`) and its attachments (`email/attachments/`). */
  readonly mailBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const prod = isProd(this.config);
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const tables = {} as Record<TableId, dynamodb.TableV2>;
    for (const spec of manifest.tables) tables[spec.id] = this.table(spec, removalPolicy, prod);
    this.tables = tables;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `kefu-${this.config.stage}-console`,
      // Agents are invited by an admin; nobody signs themselves up to a company's console.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: prod,
      removalPolicy,
    });
    ROLES.forEach((role, index) => {
      new cognito.UserPoolGroup(this, `${pascalCase(role)}Group`, {
        userPool: this.userPool,
        groupName: role,
        description: `Kefu console role ${role}`,
        // Lower precedence wins when a user is in several groups: admin over supervisor over agent.
        precedence: (ROLES.length - index) * 10,
      });
    });
    // The console signs in through managed login with the stateless stack's app client (OAuth code grant with PKCE,
    // whose callback URL is the distribution there, see StatelessStack.consoleSignIn). This SRP client is what earlier
    // versions used; it is kept, with its export, because a stateless stack deployed by an earlier version imports its
    // id and CloudFormation refuses to delete an export in use (the stateful stack deploys first). Drop both once
    // every stage runs this version.
    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'kefu-console',
      // A browser app cannot keep a secret; SRP keeps the password off the wire.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
    });
    this.exportValue(this.consoleClient.userPoolClientId);
    tagCapability(this.userPool, EDGE_CAPABILITY);

    this.customerTokenSecret = new secretsmanager.Secret(this, 'CustomerTokenSecret', {
      description: `Kefu ${this.config.stage}: HMAC key that signs web chat customer tokens`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.customerTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'HMAC signing key of short-lived customer tokens, not a credential of another service: rotating it on a schedule ' +
        'would sign every open web chat out at once; rotate by redeploying a new secret when it is suspected to leak',
    });

    // Starts as {} (no connector): the company writes its systems' base URLs and credentials into it after deploying.
    this.connectorsSecret = new secretsmanager.Secret(this, 'FlowConnectorsSecret', {
      description: `Kefu ${this.config.stage}: base URLs and credentials of the company systems multi-turn flows call (JSON)`,
      secretObjectValue: {},
      removalPolicy,
    });
    Validations.of(this.connectorsSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "holds credentials that the company's own systems issue (API keys of its order service); they rotate there, " +
        'and the company updates this secret when they do, so Secrets Manager cannot rotate them itself',
    });

    // Start as {}: the channel's webhook answers 503 CHANNEL.NOT_CONFIGURED until the company writes its keys in
    // (README, "Channels"); the functions re-read them every 5 minutes, so no deploy is needed.
    const channelSecrets: Partial<Record<SecretChannel, secretsmanager.Secret>> = {};
    for (const channel of this.config.channels) {
      const secret = new secretsmanager.Secret(this, `${pascalCase(channel)}ChannelSecret`, {
        // A fixed name, so that the README's put-secret-value line works as written.
        secretName: `kefu/${this.config.stage}/channels/${channel}`,
        description: `Kefu ${this.config.stage}: ${channel} channel credentials (JSON)`,
        secretObjectValue: {},
        removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          `the ${channel} platform issues these credentials (tokens, app secrets) in its own console; they rotate there, ` +
          'and the company updates this secret when they do, so Secrets Manager cannot rotate them itself',
      });
      channelSecrets[channel] = secret;
    }
    this.channelSecrets = channelSecrets;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: accessLogsBucketName(this.config.stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access logs and CloudFront standard logs can only be delivered to SSE-S3 buckets; CloudFront writes
      // with an ACL, hence bucket-owner-preferred rather than enforced ownership.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(Math.min(this.config.logRetentionDays, 3653)) }],
      removalPolicy,
      autoDeleteObjects: !prod,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'this bucket is the access-log target of the console bucket and distribution; logging it into itself would loop',
    });

    this.mailBucket = new s3.Bucket(this, 'MailBucket', {
      bucketName: mailBucketName(this.config.stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'mail-bucket/',
      removalPolicy,
      autoDeleteObjects: !prod,
      // The raw message is read once on arrival; attachments stay as long as the conversations' customers may ask.
      lifecycleRules: [{ prefix: 'email/inbound/', expiration: Duration.days(30) }],
    });
    // SES's S3 action writes the raw message, only for this account's receipt rules.
    this.mailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRules',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.mailBucket.arnForObjects('email/inbound/*')],
        conditions: { StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    this.consoleBucket = new s3.Bucket(this, 'ConsoleBucket', {
      bucketName: consoleBucketName(this.config.stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy,
      autoDeleteObjects: !prod,
    });
    // The distribution lives in the stateless stack; naming it here would make the two stacks depend on each other,
    // so CloudFront (origin access control) may read the static console files through this account's distributions.
    this.consoleBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudFrontOriginAccessControl',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.consoleBucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
        },
      }),
    );
    for (const bucket of [this.accessLogsBucket, this.consoleBucket]) tagCapability(bucket, EDGE_CAPABILITY);
  }

  private table(spec: TableSpec, removalPolicy: RemovalPolicy, prod: boolean): dynamodb.TableV2 {
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    const table = new dynamodb.TableV2(this, tableConstructId(spec.id), {
      partitionKey: key(spec.partitionKey),
      ...(spec.sortKey ? { sortKey: key(spec.sortKey) } : {}),
      billing: dynamodb.Billing.onDemand(),
      // AWS managed key (aws/dynamodb): KMS encryption with CloudTrail-audited key use, no key policy to keep in step
      // with every function role across the two stacks, and no monthly key cost for an app meant to idle near zero.
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(spec.ttlAttribute ? { timeToLiveAttribute: spec.ttlAttribute } : {}),
      ...(spec.stream ? { dynamoStream: dynamodb.StreamViewType[spec.stream] } : {}),
      globalSecondaryIndexes: (spec.indexes ?? []).map((index) => ({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        ...(index.sortKey ? { sortKey: key(index.sortKey) } : {}),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      deletionProtection: prod,
      removalPolicy,
    });
    tagCapability(table, STORAGE_CAPABILITY);
    return table;
  }
}
