// The public entrance to the API: an Application Load Balancer in the public subnets. With a
// certificate it answers HTTPS (TLS 1.2+) and redirects HTTP there; without one it answers plain HTTP.
// The idle timeout outlasts the WebSocket ping interval so quiet notebook sockets stay open, and targets
// are checked on /health.
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import { type Firewall, SERVER_PORT } from "./firewall.js";
import type { Network } from "./network.js";

const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly targets: LbTargetGroup;
  /** The listener the service registers behind (HTTPS with a certificate, else HTTP). */
  readonly listener: LbListener;
  /** The API's base URL: https://<api domain> with a certificate, else http://<ALB DNS name>. */
  readonly url: string;
  readonly https: boolean;

  constructor(scope: Construct, id: string, config: DeploymentConfig, network: Network, firewall: Firewall) {
    super(scope, id);
    const { name, service } = config;
    this.alb = new Lb(this, "alb", {
      name: `${name}-api`.slice(0, 32),
      loadBalancerType: "application",
      internal: false,
      securityGroups: [firewall.loadBalancer.id],
      subnets: network.publicSubnets.map((subnet) => subnet.id),
      idleTimeout: service.idleTimeoutSeconds,
      dropInvalidHeaderFields: true,
      enableHttp2: true,
    });
    this.targets = new LbTargetGroup(this, "targets", {
      name: `${name}-server`.slice(0, 32),
      port: SERVER_PORT,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: network.vpc.id,
      // Open WebSockets get this long to finish when a task is replaced; clients reconnect after.
      deregistrationDelay: "60",
      healthCheck: {
        path: "/health",
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    const forward = [{ type: "forward", targetGroupArn: this.targets.arn }];
    this.https = config.apiCertificateArn !== undefined;
    if (config.apiCertificateArn !== undefined) {
      this.listener = new LbListener(this, "https", {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: config.apiCertificateArn,
        defaultAction: forward,
      });
      new LbListener(this, "http-redirect", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
      });
      this.url = `https://${config.apiDomain}`;
    } else {
      this.listener = new LbListener(this, "http", {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forward,
      });
      this.url = `http://${this.alb.dnsName}`;
    }
  }
}
