// Typed configuration of the AWS deployment, read from the environment (or a JSON file named by
// RN_INFRA_CONFIG), validated before anything is synthesized. Secrets never live here: only public
// values (domains, sizes, the Clerk publishable key and JWT public key); the secret values are written
// into Secrets Manager by scripts/deploy.sh and never pass through this configuration.
import { readFileSync } from "node:fs";

export interface DeploymentConfig {
  /** Prefix of every resource name, e.g. "reactive-notebook-prod". */
  name: string;
  region: string;
  /** Custom domains and their ACM certificates; without them the defaults of ALB/CloudFront are used. */
  apiDomain?: string;
  apiCertificateArn?: string;
  siteDomain?: string;
  /** Must live in us-east-1: CloudFront only reads certificates from there. */
  siteCertificateArn?: string;
  network: {
    /** IPv4 range of the VPC; subnets are carved out of it (/20 each). */
    vpcCidr: string;
    /** 1 (cheaper, one AZ's NAT carries all egress) or 2 (one per AZ, survives an AZ outage). */
    natGateways: 1 | 2;
  };
  service: {
    cpu: number;
    memoryMb: number;
    /** Tasks started by the service; autoscaling moves between minCount and maxCount. */
    desiredCount: number;
    minCount: number;
    maxCount: number;
    /** Target average CPU and memory utilisation (percent) of the autoscaling policies. */
    cpuTargetPercent: number;
    memoryTargetPercent: number;
    /** Tag of the server image in the stack's ECR repository (deploy.sh passes `<version>-<commit>`). */
    imageTag: string;
    /** Seconds the ALB keeps an idle connection (a WebSocket between pings) open; at least 120. */
    idleTimeoutSeconds: number;
    /** Days CloudWatch keeps the server's logs. */
    logRetentionDays: number;
    /** KERNEL_MAX of each task: how many notebook kernels one task may hold. */
    kernelMax: number;
    /**
     * Run the container as root instead of the image's unprivileged user, so the server can drop each
     * kernel to uid 65534 with setpriv (Fargate keeps CAP_SETUID/CAP_SETGID). See docs/deployment.md.
     */
    runAsRoot: boolean;
    /** TCP ports the tasks may open to the internet besides 443, for SQL cells (default 5432). */
    sqlEgressPorts: number[];
    /** PYODIDE_INDEX_URL of the server, e.g. a mirror in your own bucket; the server's default otherwise. */
    pyodideIndexUrl?: string;
  };
  clerk: {
    /** `pk_live_…`/`pk_test_…`, handed to the browser; public by design. */
    publishableKey?: string;
    /** PEM public key for networkless token verification (`\n` escapes allowed). */
    jwtKey?: string;
    /** Origins besides the site's own that may use Clerk tokens (host pages embedding the element). */
    authorizedParties: string[];
  };
  web: {
    /** CloudFront price class: PriceClass_100 (North America, Europe), PriceClass_200 or PriceClass_All. */
    priceClass: string;
  };
  /** Origins besides the site's own allowed by CORS (host pages embedding the element). */
  allowedOrigins: string[];
  database: {
    /** PostgreSQL version, e.g. "16" or "16.4"; the major version names the parameter group family. */
    engineVersion: string;
    instanceClass: string;
    allocatedStorageGb: number;
    backupRetentionDays: number;
    multiAz: boolean;
    deletionProtection: boolean;
  };
  redis: {
    engineVersion: string;
    nodeType: string;
    /** Nodes in the replication group; 2 or more turns on automatic failover across the two AZs. */
    nodes: number;
  };
  /** Remote state in S3 (encrypted, with a lock file); local state in infra/ otherwise. */
  state?: { bucket: string; key: string; region: string };
}

type Env = Record<string, string | undefined>;

const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384];
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d+)?$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function whole(value: string | undefined, name: string, fallback: number, min: number, max = 1e9): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new Error(`${name} must be a whole number between ${min} and ${max}, got "${value}"`);
  return Number(value);
}

function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function readFile(path: string): Record<string, string> {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`RN_INFRA_CONFIG (${path}) must hold one JSON object of RN_INFRA_* keys`);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!key.startsWith("RN_INFRA_"))
      throw new Error(`RN_INFRA_CONFIG (${path}) has an unknown key "${key}"`);
    values[key] = String(value);
  }
  return values;
}

/**
 * Reads RN_INFRA_* variables (see infra/README.md) and checks them against what AWS accepts.
 * The environment wins over the JSON file named by RN_INFRA_CONFIG.
 */
export function loadDeploymentConfig(env: Env = process.env): DeploymentConfig {
  const file = env.RN_INFRA_CONFIG ? readFile(env.RN_INFRA_CONFIG) : {};
  const get = (key: string) => {
    const value = (env[key] ?? file[key])?.trim();
    return value === "" ? undefined : value;
  };
  const name = get("RN_INFRA_NAME") ?? "reactive-notebook";
  if (!/^[a-z][a-z0-9-]{2,30}$/.test(name))
    throw new Error(`RN_INFRA_NAME must be 3–31 lowercase letters, digits or dashes, got "${name}"`);
  const region = get("RN_INFRA_REGION") ?? "us-east-1";
  const isRegion = (value: string) => /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(value);
  if (!isRegion(region)) throw new Error(`RN_INFRA_REGION is not an AWS region: "${region}"`);

  const cpu = whole(get("RN_INFRA_CPU"), "RN_INFRA_CPU", 1024, 256);
  if (!FARGATE_CPU.includes(cpu)) throw new Error(`RN_INFRA_CPU must be one of ${FARGATE_CPU.join(", ")}`);
  const desiredCount = whole(get("RN_INFRA_DESIRED_COUNT"), "RN_INFRA_DESIRED_COUNT", 2, 1);
  const minCount = whole(get("RN_INFRA_MIN_COUNT"), "RN_INFRA_MIN_COUNT", desiredCount, 1);
  const maxCount = whole(get("RN_INFRA_MAX_COUNT"), "RN_INFRA_MAX_COUNT", Math.max(4, desiredCount), 1);
  if (maxCount < desiredCount) throw new Error("RN_INFRA_MAX_COUNT must be at least RN_INFRA_DESIRED_COUNT");
  if (minCount > desiredCount) throw new Error("RN_INFRA_MIN_COUNT must be at most RN_INFRA_DESIRED_COUNT");

  const domain = (key: string) => {
    const value = get(key)?.toLowerCase();
    if (value !== undefined && !DOMAIN.test(value))
      throw new Error(`${key} is not a domain name: "${value}"`);
    return value;
  };
  const certificate = (key: string, domainKey: string, requiredRegion?: string) => {
    const arn = get(key);
    if (arn === undefined) return undefined;
    const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/.exec(arn);
    if (!match) throw new Error(`${key} is not an ACM certificate ARN`);
    if (requiredRegion !== undefined && match[1] !== requiredRegion)
      throw new Error(`${key} must be a certificate in ${requiredRegion} (CloudFront reads it there)`);
    if (get(domainKey) === undefined) throw new Error(`${key} is set but ${domainKey} is not`);
    return arn;
  };
  const origins = (key: string) => {
    const values = list(get(key)).map((origin) => origin.replace(/\/$/, ""));
    for (const origin of values)
      if (!ORIGIN.test(origin)) throw new Error(`${key} has "${origin}", which is not an origin`);
    return values;
  };

  const vpcCidr = get("RN_INFRA_VPC_CIDR") ?? "10.40.0.0/16";
  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(vpcCidr);
  if (
    !cidr ||
    cidr.slice(1, 5).some((octet) => Number(octet) > 255) ||
    !(Number(cidr[5]) >= 16 && Number(cidr[5]) <= 18)
  )
    throw new Error(`RN_INFRA_VPC_CIDR must be an IPv4 range from /16 to /18, got "${vpcCidr}"`);
  const natGateways = whole(get("RN_INFRA_NAT_GATEWAYS"), "RN_INFRA_NAT_GATEWAYS", 1, 1, 2) as 1 | 2;

  const imageTag = get("RN_INFRA_IMAGE_TAG") ?? "latest";
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(imageTag))
    throw new Error(`RN_INFRA_IMAGE_TAG is not a container image tag: "${imageTag}"`);
  const sqlPorts = get("RN_INFRA_SQL_EGRESS_PORTS") ?? "5432";
  const sqlEgressPorts =
    sqlPorts === "none"
      ? []
      : list(sqlPorts).map((port) => whole(port, "RN_INFRA_SQL_EGRESS_PORTS", 0, 1, 65535));
  const pyodideIndexUrl = get("RN_INFRA_PYODIDE_INDEX_URL");
  if (pyodideIndexUrl !== undefined && !/^https:\/\/\S+\/$/.test(pyodideIndexUrl))
    throw new Error("RN_INFRA_PYODIDE_INDEX_URL must be an https:// URL ending in /");

  const publishableKey = get("RN_INFRA_CLERK_PUBLISHABLE_KEY");
  if (publishableKey !== undefined && !/^pk_(test|live)_[A-Za-z0-9_=-]+$/.test(publishableKey))
    throw new Error("RN_INFRA_CLERK_PUBLISHABLE_KEY must start with pk_test_ or pk_live_");
  if (get("RN_INFRA_CLERK_SECRET_KEY") !== undefined)
    throw new Error(
      "RN_INFRA_CLERK_SECRET_KEY is not read: secrets go to Secrets Manager (scripts/deploy.sh), never into the stack",
    );
  const jwtKey = get("RN_INFRA_CLERK_JWT_KEY");
  if (jwtKey !== undefined && !jwtKey.replace(/\\n/g, "\n").includes("-----BEGIN PUBLIC KEY-----"))
    throw new Error("RN_INFRA_CLERK_JWT_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)");

  const engineVersion = get("RN_INFRA_DB_ENGINE_VERSION") ?? "16";
  if (!/^1[4-9](\.\d+)?$/.test(engineVersion))
    throw new Error(`RN_INFRA_DB_ENGINE_VERSION must be PostgreSQL 14 or later, got "${engineVersion}"`);
  const redisVersion = get("RN_INFRA_REDIS_ENGINE_VERSION") ?? "7.1";
  if (!/^[6-9]\.\d+$/.test(redisVersion))
    throw new Error(`RN_INFRA_REDIS_ENGINE_VERSION must be like 7.1, got "${redisVersion}"`);

  const logRetentionDays = whole(
    get("RN_INFRA_LOG_RETENTION_DAYS"),
    "RN_INFRA_LOG_RETENTION_DAYS",
    30,
    1,
    3653,
  );
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
    throw new Error(`RN_INFRA_LOG_RETENTION_DAYS must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  const priceClass = get("RN_INFRA_PRICE_CLASS") ?? "PriceClass_100";
  if (!["PriceClass_100", "PriceClass_200", "PriceClass_All"].includes(priceClass))
    throw new Error(`RN_INFRA_PRICE_CLASS must be PriceClass_100, PriceClass_200 or PriceClass_All`);

  const stateBucket = get("RN_INFRA_STATE_BUCKET");
  const stateRegion = get("RN_INFRA_STATE_REGION") ?? region;
  if (!isRegion(stateRegion)) throw new Error(`RN_INFRA_STATE_REGION is not an AWS region: "${stateRegion}"`);

  return {
    name,
    region,
    apiDomain: domain("RN_INFRA_API_DOMAIN"),
    apiCertificateArn: certificate("RN_INFRA_API_CERTIFICATE_ARN", "RN_INFRA_API_DOMAIN"),
    siteDomain: domain("RN_INFRA_SITE_DOMAIN"),
    siteCertificateArn: certificate("RN_INFRA_SITE_CERTIFICATE_ARN", "RN_INFRA_SITE_DOMAIN", "us-east-1"),
    network: { vpcCidr, natGateways },
    service: {
      cpu,
      memoryMb: whole(get("RN_INFRA_MEMORY_MB"), "RN_INFRA_MEMORY_MB", 4096, 512),
      desiredCount,
      minCount,
      maxCount,
      cpuTargetPercent: whole(get("RN_INFRA_CPU_TARGET"), "RN_INFRA_CPU_TARGET", 60, 10, 95),
      memoryTargetPercent: whole(get("RN_INFRA_MEMORY_TARGET"), "RN_INFRA_MEMORY_TARGET", 70, 10, 95),
      imageTag,
      idleTimeoutSeconds: whole(get("RN_INFRA_IDLE_TIMEOUT_S"), "RN_INFRA_IDLE_TIMEOUT_S", 300, 120, 4000),
      logRetentionDays,
      kernelMax: whole(get("RN_INFRA_KERNEL_MAX"), "RN_INFRA_KERNEL_MAX", 4, 1, 10_000),
      runAsRoot: flag(get("RN_INFRA_RUN_AS_ROOT"), "RN_INFRA_RUN_AS_ROOT", false),
      sqlEgressPorts: sqlEgressPorts.filter((port) => port !== 443),
      pyodideIndexUrl,
    },
    clerk: {
      publishableKey,
      jwtKey,
      authorizedParties: origins("RN_INFRA_CLERK_AUTHORIZED_PARTIES"),
    },
    web: { priceClass },
    allowedOrigins: origins("RN_INFRA_ALLOWED_ORIGINS"),
    database: {
      engineVersion,
      instanceClass: get("RN_INFRA_DB_INSTANCE_CLASS") ?? "db.t4g.small",
      allocatedStorageGb: whole(get("RN_INFRA_DB_STORAGE_GB"), "RN_INFRA_DB_STORAGE_GB", 20, 20, 65536),
      backupRetentionDays: whole(get("RN_INFRA_DB_BACKUP_DAYS"), "RN_INFRA_DB_BACKUP_DAYS", 7, 1, 35),
      multiAz: flag(get("RN_INFRA_DB_MULTI_AZ"), "RN_INFRA_DB_MULTI_AZ", false),
      deletionProtection: flag(
        get("RN_INFRA_DB_DELETION_PROTECTION"),
        "RN_INFRA_DB_DELETION_PROTECTION",
        true,
      ),
    },
    redis: {
      engineVersion: redisVersion,
      nodeType: get("RN_INFRA_REDIS_NODE_TYPE") ?? "cache.t4g.small",
      nodes: whole(get("RN_INFRA_REDIS_NODES"), "RN_INFRA_REDIS_NODES", 1, 1, 6),
    },
    state:
      stateBucket === undefined
        ? undefined
        : {
            bucket: stateBucket,
            key: get("RN_INFRA_STATE_KEY") ?? `${name}/terraform.tfstate`,
            region: stateRegion,
          },
  };
}
