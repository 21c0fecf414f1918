// Test helpers over the synthesized Terraform JSON: build a stack from RN_INFRA_* settings, find
// resources by their construct path, and turn references back into the resources they point at.
import { Testing } from "cdktf";
import { type DeploymentConfig, DeploymentStack, loadDeploymentConfig } from "../src/index.js";

export type Block = Record<string, unknown>;

export interface Synthesized {
  config: DeploymentConfig;
  json: {
    resource: Record<string, Record<string, Block>>;
    data: Record<string, Record<string, Block>>;
    output: Record<string, { value: unknown }>;
    variable: Record<string, Block>;
    terraform: Block;
  };
  /** Every resource of one Terraform type, by logical name. */
  all(type: string): [string, Block][];
  /** The one resource of `type` at construct path `path` under the stack (e.g. "firewall/tasks"). */
  at(type: string, path: string): { name: string; body: Block; ref(attribute: string): string };
}

/** Asserts that a value found in the JSON is there, for the lookups that follow. */
export function must<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what} in the synthesized JSON`);
  return value;
}

/** A Terraform interpolation as it appears in the JSON: tf("var.x") is "${var.x}". */
export const tf = (expression: string) => `\${${expression}}`;

export const CERTIFICATE =
  "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";

/** Synthesizes the whole stack for these settings, exactly as `npm run synth` would. */
export function synthesize(env: Record<string, string> = {}): Synthesized {
  const config = loadDeploymentConfig(env);
  const stack = new DeploymentStack(Testing.app(), config.name, config);
  const json = JSON.parse(Testing.synth(stack)) as Synthesized["json"];
  const all = (type: string) => Object.entries(json.resource[type] ?? {});
  const at = (type: string, path: string) => {
    // Logical names are the construct path joined by "_" plus a hash (a repeated last segment once).
    const segments = path.split("/");
    const unique = segments.filter((segment, index) => index === 0 || segment !== segments[index - 1]);
    const pattern = new RegExp(`^${unique.join("_").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}_[0-9A-F]{8}$`);
    const found = all(type).filter(([name]) => pattern.test(name));
    if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
    const [name, body] = found[0] as [string, Block];
    return { name, body, ref: (attribute: string) => `\${${type}.${name}.${attribute}}` };
  };
  return { config, json, all, at };
}

/** The container definitions of the task, parsed from their JSON string. */
export function containers(synth: Synthesized): Block[] {
  const task = synth.at("aws_ecs_task_definition", "service/task").body;
  return JSON.parse(task.container_definitions as string) as Block[];
}
