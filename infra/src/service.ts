// The notebook service on ECS Fargate: the image's ECR repository, the four secrets (values written by
// scripts/deploy.sh, read by ECS through `secrets`, never plain environment values), roles, the task
// definition, the service behind the load balancer, and autoscaling on CPU and memory between the
// configured bounds. The task role grants nothing (and denies everything explicitly): user code that
// escaped every kernel layer would still find no AWS permission to use.
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy/index.js";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository/index.js";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster/index.js";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service/index.js";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret/index.js";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version/index.js";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import { type Data, RDS_CA_BUNDLE } from "./data.js";
import { type Firewall, SERVER_PORT } from "./firewall.js";
import type { LoadBalancer } from "./load-balancer.js";
import type { Network } from "./network.js";
import { HEALTH_CHECK, KERNEL_LEASE_TTL_MS, STOP_TIMEOUT_SECONDS } from "./timings.js";

/** The variables that reach the task only through Secrets Manager. */
export const SECRET_NAMES = ["CLERK_SECRET_KEY", "NOTEBOOK_SECRET_KEY", "DATABASE_URL", "REDIS_URL"] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
/**
 * Fixed Terraform addresses of what scripts/deploy.sh creates first (`terraform apply -target=…`):
 * the image repository and the secrets, which must exist before the image is pushed and the values put.
 */
export const DEPLOY_TARGETS = {
  repository: "aws_ecr_repository.server_image",
  secrets: {
    CLERK_SECRET_KEY: "aws_secretsmanager_secret.secret_clerk_secret_key",
    NOTEBOOK_SECRET_KEY: "aws_secretsmanager_secret.secret_notebook_secret_key",
    DATABASE_URL: "aws_secretsmanager_secret.secret_database_url",
    REDIS_URL: "aws_secretsmanager_secret.secret_redis_url",
  },
} as const;
const logicalId = (address: string) => address.split(".")[1] as string;
export const CONTAINER_NAME = "server";
/** The container's own check, the same as the image's HEALTHCHECK (ECS ignores the image's). */
export const HEALTH_COMMAND = `fetch('http://127.0.0.1:${SERVER_PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;

export interface ServiceInputs {
  network: Network;
  firewall: Firewall;
  data: Data;
  loadBalancer: LoadBalancer;
  /** The demo site's origin (CloudFront): allowed by CORS and as a Clerk authorized party. */
  siteUrl: string;
}

const assumedByEcsTasks = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});

export class Service extends Construct {
  readonly repository: EcrRepository;
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly secrets: Record<SecretName, SecretsmanagerSecret>;
  readonly taskRole: IamRole;
  readonly executionRole: IamRole;

  constructor(scope: Construct, id: string, config: DeploymentConfig, inputs: ServiceInputs) {
    super(scope, id);
    const { name, service } = config;
    this.repository = new EcrRepository(this, "repository", {
      name: `${name}/server`,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
    });
    this.repository.overrideLogicalId(logicalId(DEPLOY_TARGETS.repository));
    new EcrLifecyclePolicy(this, "repository-lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: "Keep the 30 newest images",
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
            action: { type: "expire" },
          },
        ],
      }),
    });

    const secret = (key: SecretName) => {
      const created = new SecretsmanagerSecret(this, `secret-${key}`, {
        name: `${name}/${key}`,
        description: `${key} of the Reactive Notebook server`,
        recoveryWindowInDays: 7,
      });
      created.overrideLogicalId(logicalId(DEPLOY_TARGETS.secrets[key]));
      return created;
    };
    this.secrets = {
      CLERK_SECRET_KEY: secret("CLERK_SECRET_KEY"),
      NOTEBOOK_SECRET_KEY: secret("NOTEBOOK_SECRET_KEY"),
      DATABASE_URL: secret("DATABASE_URL"),
      REDIS_URL: secret("REDIS_URL"),
    };
    // Write-only: the URL (with its password) goes to Secrets Manager, not into the Terraform state.
    const databaseUrl = new SecretsmanagerSecretVersion(this, "database-url", {
      secretId: this.secrets.DATABASE_URL.id,
      secretStringWo: inputs.data.databaseUrl(),
      secretStringWoVersion: inputs.data.passwordVersion.numberValue,
    });
    // Write-only too: the URL carries the Redis AUTH token.
    const redisUrl = new SecretsmanagerSecretVersion(this, "redis-url", {
      secretId: this.secrets.REDIS_URL.id,
      secretStringWo: inputs.data.redisUrl(),
      secretStringWoVersion: inputs.data.redisTokenVersion.numberValue,
    });

    const logs = new CloudwatchLogGroup(this, "logs", {
      name: `/ecs/${name}/server`,
      retentionInDays: service.logRetentionDays,
    });
    this.cluster = new EcsCluster(this, "cluster", {
      name,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });

    // The execution role is used by ECS itself (pull the image, read the secrets, write logs); its
    // credentials never enter the container.
    this.executionRole = new IamRole(this, "execution-role", {
      name: `${name}-execution`,
      assumeRolePolicy: assumedByEcsTasks,
    });
    new IamRolePolicy(this, "execution-policy", {
      role: this.executionRole.id,
      name: "pull-image-read-secrets-write-logs",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
          {
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: this.repository.arn,
          },
          {
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: SECRET_NAMES.map((key) => this.secrets[key].arn),
          },
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logs.arn}:*`,
          },
        ],
      }),
    });
    // The task role is what code in the container could use; it may do nothing.
    this.taskRole = new IamRole(this, "task-role", {
      name: `${name}-task`,
      description: "Reactive Notebook server tasks: no AWS permissions",
      assumeRolePolicy: assumedByEcsTasks,
    });
    new IamRolePolicy(this, "task-deny-all", {
      role: this.taskRole.id,
      name: "deny-everything",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
      }),
    });

    const list = (values: string[]) => [...new Set(values)].join(",");
    const environment: Record<string, string | undefined> = {
      NODE_ENV: "production",
      HOST: "0.0.0.0",
      PORT: String(SERVER_PORT),
      AUTH_MODE: "clerk",
      CLERK_PUBLISHABLE_KEY: config.clerk.publishableKey,
      CLERK_JWT_KEY: config.clerk.jwtKey,
      CLERK_AUTHORIZED_PARTIES: list([inputs.siteUrl, ...config.clerk.authorizedParties]),
      ALLOWED_ORIGINS: list([inputs.siteUrl, ...config.allowedOrigins]),
      KERNEL_MAX: String(service.kernelMax),
      KERNEL_LEASE_TTL_MS: String(KERNEL_LEASE_TTL_MS),
      PYODIDE_INDEX_URL: service.pyodideIndexUrl,
      NODE_EXTRA_CA_CERTS: RDS_CA_BUNDLE,
    };
    const container = {
      name: CONTAINER_NAME,
      image: `${this.repository.repositoryUrl}:${service.imageTag}`,
      essential: true,
      ...(service.runAsRoot ? { user: "0" } : {}),
      portMappings: [{ containerPort: SERVER_PORT, protocol: "tcp" }],
      environment: Object.entries(environment)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([key, value]) => ({ name: key, value })),
      secrets: SECRET_NAMES.map((key) => ({ name: key, valueFrom: this.secrets[key].arn })),
      healthCheck: {
        command: ["CMD", "node", "-e", HEALTH_COMMAND],
        interval: HEALTH_CHECK.intervalSeconds,
        timeout: 5,
        retries: 3,
        startPeriod: 60,
      },
      stopTimeout: STOP_TIMEOUT_SECONDS,
      ulimits: [{ name: "nofile", softLimit: 65_536, hardLimit: 65_536 }],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": logs.name,
          "awslogs-region": config.region,
          "awslogs-stream-prefix": "server",
        },
      },
    };
    this.taskDefinition = new EcsTaskDefinition(this, "task", {
      family: `${name}-server`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(service.cpu),
      memory: String(service.memoryMb),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
    });

    this.service = new EcsService(this, "service", {
      name: "server",
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: service.desiredCount,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: inputs.network.privateSubnets.map((subnet) => subnet.id),
        securityGroups: [inputs.firewall.tasks.id],
        assignPublicIp: false,
      },
      loadBalancer: [
        {
          targetGroupArn: inputs.loadBalancer.targets.arn,
          containerName: CONTAINER_NAME,
          containerPort: SERVER_PORT,
        },
      ],
      // The first start builds the Pyodide snapshot; give it time before the checks count.
      healthCheckGracePeriodSeconds: 120,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      enableExecuteCommand: false,
      propagateTags: "SERVICE",
      // After creation autoscaling owns the count; a deploy must not reset it.
      lifecycle: { ignoreChanges: ["desired_count"] },
      // Tasks started before DATABASE_URL has a value would fail (and trip the circuit breaker).
      dependsOn: [inputs.loadBalancer.listener, databaseUrl, redisUrl],
    });

    const target = new AppautoscalingTarget(this, "scaling", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: service.minCount,
      maxCapacity: service.maxCount,
    });
    const track = (key: string, metric: string, targetValue: number) =>
      new AppautoscalingPolicy(this, key, {
        name: `${name}-${key}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: { predefinedMetricType: metric },
          scaleOutCooldown: 60,
          // Scaling in stops kernels (their cells become stale): be slow about it.
          scaleInCooldown: 600,
        },
      });
    track("cpu", "ECSServiceAverageCPUUtilization", service.cpuTargetPercent);
    track("memory", "ECSServiceAverageMemoryUtilization", service.memoryTargetPercent);
  }
}
