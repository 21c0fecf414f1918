// Who may talk to whom, in one place: the internet reaches only the load balancer; the load balancer
// reaches only the tasks' port; the tasks reach only PostgreSQL, Redis, HTTPS (Clerk, the Pyodide
// package index, ECR, Secrets Manager, CloudWatch Logs) and the configured SQL ports; the database and
// Redis take connections from the tasks alone and open none.
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import type { Network } from "./network.js";

/** The port the server listens on inside its container (PORT in the image). */
export const SERVER_PORT = 8080;
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
const ANYWHERE = "0.0.0.0/0";

export class Firewall extends Construct {
  readonly loadBalancer: SecurityGroup;
  readonly tasks: SecurityGroup;
  readonly database: SecurityGroup;
  readonly redis: SecurityGroup;

  constructor(scope: Construct, id: string, config: DeploymentConfig, network: Network) {
    super(scope, id);
    const group = (key: string, description: string) =>
      new SecurityGroup(this, key, {
        name: `${config.name}-${key}`,
        description,
        vpcId: network.vpc.id,
        // Terraform removes AWS's default allow-all egress rule: the rules below are all there is.
        tags: { Name: `${config.name}-${key}` },
      });
    this.loadBalancer = group("alb", "Reactive Notebook load balancer: HTTP(S) from anywhere");
    this.tasks = group("tasks", "Reactive Notebook server tasks: from the load balancer only");
    this.database = group("database", "Reactive Notebook PostgreSQL: from the tasks only");
    this.redis = group("redis", "Reactive Notebook Redis: from the tasks only");

    const ingress = (key: string, target: SecurityGroup, port: number, from: SecurityGroup | string) =>
      new VpcSecurityGroupIngressRule(this, key, {
        securityGroupId: target.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...(typeof from === "string" ? { cidrIpv4: from } : { referencedSecurityGroupId: from.id }),
      });
    const egress = (key: string, source: SecurityGroup, port: number, to: SecurityGroup | string) =>
      new VpcSecurityGroupEgressRule(this, key, {
        securityGroupId: source.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...(typeof to === "string" ? { cidrIpv4: to } : { referencedSecurityGroupId: to.id }),
      });

    ingress("alb-http-in", this.loadBalancer, 80, ANYWHERE);
    ingress("alb-https-in", this.loadBalancer, 443, ANYWHERE);
    egress("alb-to-tasks", this.loadBalancer, SERVER_PORT, this.tasks);

    ingress("tasks-from-alb", this.tasks, SERVER_PORT, this.loadBalancer);
    egress("tasks-to-database", this.tasks, POSTGRES_PORT, this.database);
    egress("tasks-to-redis", this.tasks, REDIS_PORT, this.redis);
    egress("tasks-to-https", this.tasks, 443, ANYWHERE);
    for (const port of config.service.sqlEgressPorts)
      egress(`tasks-to-sql-${port}`, this.tasks, port, ANYWHERE);

    ingress("database-from-tasks", this.database, POSTGRES_PORT, this.tasks);
    ingress("redis-from-tasks", this.redis, REDIS_PORT, this.tasks);
  }
}
