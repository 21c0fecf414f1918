// The service's state: RDS PostgreSQL for notebooks (encrypted, private, backed up, TLS enforced) and
// ElastiCache Redis for cross-instance events and kernel leases (private, TLS in transit, encrypted at
// rest, an AUTH token required). The database password is a write-only, ephemeral Terraform input: it
// reaches RDS and the DATABASE_URL secret but is never written into the Terraform state (Terraform ≥ 1.11).
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance/index.js";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group/index.js";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group/index.js";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group/index.js";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group/index.js";
import { Fn, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import { type Firewall, POSTGRES_PORT, REDIS_PORT } from "./firewall.js";
import type { Network } from "./network.js";

/** The CA bundle of RDS inside the image (Dockerfile), trusted through NODE_EXTRA_CA_CERTS. */
export const RDS_CA_BUNDLE = "/etc/ssl/certs/rds-global-bundle.pem";
const DATABASE_NAME = "notebook";
const DATABASE_USER = "notebook";

export class Data extends Construct {
  readonly database: DbInstance;
  readonly redis: ElasticacheReplicationGroup;
  /** The database password (TF_VAR_database_password): ephemeral, only for write-only arguments. */
  readonly password: TerraformVariable;
  /** Bumped (TF_VAR_database_password_version) to make RDS and the secret take a new password. */
  readonly passwordVersion: TerraformVariable;
  /**
   * The Redis AUTH token (TF_VAR_redis_auth_token). Sensitive, but ElastiCache has no write-only argument
   * for it, so it is in the Terraform state (keep the state private, as for any deployment).
   */
  readonly redisToken: TerraformVariable;
  /** Bumped (TF_VAR_redis_auth_token_version) to write a new token into the REDIS_URL secret. */
  readonly redisTokenVersion: TerraformVariable;

  constructor(scope: Construct, id: string, config: DeploymentConfig, network: Network, firewall: Firewall) {
    super(scope, id);
    const { name, database } = config;
    this.password = new TerraformVariable(scope, "database_password", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: "Master password of the notebook database (16+ characters); never stored in the state",
      validation: [
        {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression, not a JS template
          condition: "${length(var.database_password) >= 16}",
          errorMessage: "database_password must have at least 16 characters.",
        },
      ],
    });
    this.password.addOverride("ephemeral", true);
    this.passwordVersion = new TerraformVariable(scope, "database_password_version", {
      type: "number",
      default: 1,
      description: "Increase to apply a new database_password to RDS and the DATABASE_URL secret",
    });

    this.redisToken = new TerraformVariable(scope, "redis_auth_token", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: "AUTH token of the Redis replication group: 16 to 128 letters and digits",
      validation: [
        {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression, not a JS template
          condition: '${can(regex("^[A-Za-z0-9]{16,128}$", var.redis_auth_token))}',
          errorMessage: "redis_auth_token must be 16 to 128 letters and digits.",
        },
      ],
    });
    this.redisTokenVersion = new TerraformVariable(scope, "redis_auth_token_version", {
      type: "number",
      default: 1,
      description: "Increase with a new redis_auth_token to rotate it and rewrite the REDIS_URL secret",
    });

    const subnets = new DbSubnetGroup(this, "subnets", {
      name: `${name}-database`,
      subnetIds: network.privateSubnets.map((subnet) => subnet.id),
    });
    const major = database.engineVersion.split(".")[0];
    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${name}-postgres${major}`,
      family: `postgres${major}`,
      parameter: [{ name: "rds.force_ssl", value: "1" }],
    });
    this.database = new DbInstance(this, "postgres", {
      identifier: `${name}-notebooks`,
      engine: "postgres",
      engineVersion: database.engineVersion,
      instanceClass: database.instanceClass,
      allocatedStorage: database.allocatedStorageGb,
      maxAllocatedStorage: database.allocatedStorageGb * 5,
      storageType: "gp3",
      storageEncrypted: true,
      dbName: DATABASE_NAME,
      username: DATABASE_USER,
      passwordWo: this.password.stringValue,
      passwordWoVersion: this.passwordVersion.numberValue,
      port: POSTGRES_PORT,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [firewall.database.id],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      multiAz: database.multiAz,
      backupRetentionPeriod: database.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: database.deletionProtection,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-notebooks-final`,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      enabledCloudwatchLogsExports: ["postgresql"],
    });

    const cacheSubnets = new ElasticacheSubnetGroup(this, "cache-subnets", {
      name: `${name}-redis`,
      subnetIds: network.privateSubnets.map((subnet) => subnet.id),
    });
    const failover = config.redis.nodes > 1;
    this.redis = new ElasticacheReplicationGroup(this, "redis", {
      replicationGroupId: `${name}-events`,
      description: "Reactive Notebook: events across instances and kernel leases",
      engine: "redis",
      engineVersion: config.redis.engineVersion,
      nodeType: config.redis.nodeType,
      numCacheClusters: config.redis.nodes,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: REDIS_PORT,
      subnetGroupName: cacheSubnets.name,
      securityGroupIds: [firewall.redis.id],
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      // Besides the security group: a client needs the token, which only the REDIS_URL secret carries.
      // ROTATE keeps the old token valid next to a new one while tasks are replaced.
      authToken: this.redisToken.stringValue,
      authTokenUpdateStrategy: "ROTATE",
      atRestEncryptionEnabled: "true",
      snapshotRetentionLimit: 1,
      applyImmediately: true,
    });
  }

  /**
   * DATABASE_URL built from the ephemeral password: usable only in write-only arguments (the secret's
   * `secret_string_wo`). The server verifies the RDS certificate (verify-full, RDS CA in the image).
   */
  databaseUrl(): string {
    const password = Fn.urlencode(this.password.stringValue);
    return `postgresql://${DATABASE_USER}:${password}@${this.database.address}:${this.database.port}/${DATABASE_NAME}?sslmode=verify-full`;
  }

  /** REDIS_URL: TLS (rediss://) to the primary endpoint with the AUTH token; for the secret's `secret_string_wo`. */
  redisUrl(): string {
    const token = Fn.urlencode(this.redisToken.stringValue);
    return `rediss://:${token}@${this.redis.primaryEndpointAddress}:${REDIS_PORT}`;
  }
}
