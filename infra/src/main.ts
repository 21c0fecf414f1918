// The terraform-cdk app: reads the deployment configuration and synthesizes the stack into
// infra/cdktf.out/stacks/<name>/cdk.tf.json — plain Terraform JSON, no network, no terraform binary.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "cdktf";
import { loadDeploymentConfig } from "./config.js";
import { DeploymentStack } from "./stack.js";

/** infra/cdktf.out, seen from the compiled file (infra/dist/src/main.js); RN_INFRA_OUT_DIR overrides it. */
const OUT_DIR = path.resolve(
  process.env.RN_INFRA_OUT_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../../cdktf.out"),
);

try {
  const config = loadDeploymentConfig();
  const app = new App({ outdir: OUT_DIR });
  new DeploymentStack(app, config.name, config);
  app.synth();
  process.stdout.write(`synthesized ${path.join(OUT_DIR, "stacks", config.name, "cdk.tf.json")}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
