// The whole deployment as one Terraform stack: network → firewall → data → load balancer → web → service,
// plus the outputs deploy.sh and people need. Synthesizes offline into plain Terraform JSON.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import { Data } from "./data.js";
import { Firewall } from "./firewall.js";
import { LoadBalancer } from "./load-balancer.js";
import { Network } from "./network.js";
import { SECRET_NAMES, Service } from "./service.js";
import { ELEMENT_PREFIX, Web } from "./web.js";

/** Write-only arguments (the database password) need Terraform or OpenTofu from this version on. */
export const REQUIRED_TERRAFORM = ">= 1.11";

export class DeploymentStack extends TerraformStack {
  readonly network: Network;
  readonly firewall: Firewall;
  readonly data: Data;
  readonly loadBalancer: LoadBalancer;
  readonly web: Web;
  readonly service: Service;

  constructor(scope: Construct, id: string, config: DeploymentConfig) {
    super(scope, id);
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { application: "reactive-notebook", deployment: config.name } }],
    });
    if (config.state !== undefined) {
      new S3Backend(this, {
        bucket: config.state.bucket,
        key: config.state.key,
        region: config.state.region,
        encrypt: true,
      });
      // S3-native locking (Terraform ≥ 1.10) instead of a DynamoDB table.
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    } else {
      // Relative to the stack's folder (cdktf.out/stacks/<name>): the state file lands in infra/.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM);

    this.network = new Network(this, "network", config);
    this.firewall = new Firewall(this, "firewall", config, this.network);
    this.data = new Data(this, "data", config, this.network, this.firewall);
    this.loadBalancer = new LoadBalancer(this, "load-balancer", config, this.network, this.firewall);
    this.web = new Web(this, "web", config, this.loadBalancer);
    this.service = new Service(this, "service", config, {
      network: this.network,
      firewall: this.firewall,
      data: this.data,
      loadBalancer: this.loadBalancer,
      siteUrl: this.web.url,
    });

    const output = (key: string, value: unknown, description: string) =>
      new TerraformOutput(this, key, { value, description });
    output("site_url", this.web.url, "The demo site (and the API under /api/v1 on the same origin)");
    output("api_url", this.loadBalancer.url, "The API's own endpoint (the load balancer)");
    output("element_base_url", `${this.web.url}/${ELEMENT_PREFIX}`, "Append <version>/reactive-notebook.js");
    output("ecr_repository_url", this.service.repository.repositoryUrl, "Push the server image here");
    output("site_bucket", this.web.bucket.bucket, "Bucket of the demo site and the element bundle");
    output(
      "distribution_id",
      this.web.distribution.id,
      "CloudFront distribution to invalidate after uploads",
    );
    output("cluster_name", this.service.cluster.name, "ECS cluster");
    output("service_name", this.service.service.name, "ECS service");
    output(
      "secret_arns",
      Object.fromEntries(SECRET_NAMES.map((key) => [key, this.service.secrets[key].arn])),
      "Secrets Manager secrets the task reads",
    );
  }
}
