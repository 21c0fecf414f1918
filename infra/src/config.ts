// Typed configuration of the AWS deployment, read from the environment (or a JSON file named by
// RN_INFRA_CONFIG), validated before anything is synthesized. Secrets never live here: only their names.
import { readFileSync } from "node:fs";

export interface DeploymentConfig {
  /** Prefix of every resource name, e.g. "reactive-notebook-prod". */
  name: string;
  region: string;
  /** Custom domains and their ACM certificates; without them the defaults of ALB/CloudFront are used. */
  apiDomain?: string;
  apiCertificateArn?: string;
  siteDomain?: string;
  siteCertificateArn?: string;
  service: { cpu: number; memoryMb: number; desiredCount: number; maxCount: number };
  database: { instanceClass: string; allocatedStorageGb: number; backupRetentionDays: number };
  redis: { nodeType: string };
}

type Env = Record<string, string | undefined>;

const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384];

function whole(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new Error(`${name} must be a whole number ≥ ${min}, got "${value}"`);
  return Number(value);
}

/** Reads RN_INFRA_* variables (see infra/README.md) and checks them against what AWS accepts. */
export function loadDeploymentConfig(env: Env = process.env): DeploymentConfig {
  const file = env.RN_INFRA_CONFIG
    ? (JSON.parse(readFileSync(env.RN_INFRA_CONFIG, "utf8")) as Record<string, string>)
    : {};
  const get = (key: string) => env[key] ?? file[key];
  const name = get("RN_INFRA_NAME") ?? "reactive-notebook";
  if (!/^[a-z][a-z0-9-]{2,30}$/.test(name))
    throw new Error(`RN_INFRA_NAME must be 3–31 lowercase letters, digits or dashes, got "${name}"`);
  const region = get("RN_INFRA_REGION") ?? "us-east-1";
  if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region))
    throw new Error(`RN_INFRA_REGION is not an AWS region: "${region}"`);
  const cpu = whole(get("RN_INFRA_CPU"), "RN_INFRA_CPU", 1024, 256);
  if (!FARGATE_CPU.includes(cpu)) throw new Error(`RN_INFRA_CPU must be one of ${FARGATE_CPU.join(", ")}`);
  const desiredCount = whole(get("RN_INFRA_DESIRED_COUNT"), "RN_INFRA_DESIRED_COUNT", 2, 1);
  const maxCount = whole(get("RN_INFRA_MAX_COUNT"), "RN_INFRA_MAX_COUNT", Math.max(4, desiredCount), 1);
  if (maxCount < desiredCount) throw new Error("RN_INFRA_MAX_COUNT must be at least RN_INFRA_DESIRED_COUNT");
  const certificate = (key: string, domainKey: string) => {
    const arn = get(key);
    if (arn !== undefined && !/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(arn)) {
      throw new Error(`${key} is not an ACM certificate ARN`);
    }
    if (arn !== undefined && get(domainKey) === undefined)
      throw new Error(`${key} is set but ${domainKey} is not`);
    return arn;
  };
  return {
    name,
    region,
    apiDomain: get("RN_INFRA_API_DOMAIN"),
    apiCertificateArn: certificate("RN_INFRA_API_CERTIFICATE_ARN", "RN_INFRA_API_DOMAIN"),
    siteDomain: get("RN_INFRA_SITE_DOMAIN"),
    siteCertificateArn: certificate("RN_INFRA_SITE_CERTIFICATE_ARN", "RN_INFRA_SITE_DOMAIN"),
    service: {
      cpu,
      memoryMb: whole(get("RN_INFRA_MEMORY_MB"), "RN_INFRA_MEMORY_MB", 4096, 512),
      desiredCount,
      maxCount,
    },
    database: {
      instanceClass: get("RN_INFRA_DB_INSTANCE_CLASS") ?? "db.t4g.small",
      allocatedStorageGb: whole(get("RN_INFRA_DB_STORAGE_GB"), "RN_INFRA_DB_STORAGE_GB", 20, 20),
      backupRetentionDays: whole(get("RN_INFRA_DB_BACKUP_DAYS"), "RN_INFRA_DB_BACKUP_DAYS", 7, 1),
    },
    redis: { nodeType: get("RN_INFRA_REDIS_NODE_TYPE") ?? "cache.t4g.small" },
  };
}
