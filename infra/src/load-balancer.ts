// The public entrance to the API: an Application Load Balancer in the public subnets. With a
// certificate it answers HTTPS (TLS 1.2+) and redirects HTTP there; without one it answers plain HTTP.
// The idle timeout outlasts the WebSocket ping interval so quiet notebook sockets stay open, and targets
// are checked on /health. No stickiness: any task serves any request (the one holding a notebook's kernel
// lease answers forwarded commands), and the timings fit the kernel lease (see KERNEL_LEASE_TTL_MS).
import { Lb } from "@cdktf/provider-aws/lib/lb/index.js";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener/index.js";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group/index.js";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import { type Firewall, SERVER_PORT } from "./firewall.js";
import type { Network } from "./network.js";
import { HEALTH_CHECK, LONGEST_REQUEST_SECONDS } from "./timings.js";

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
      // A task being replaced keeps serving (and holding its kernel leases) this long, so the longest
      // request — a run with ?wait=60 — ends before its SIGTERM, which hands the leases over at once.
      deregistrationDelay: String(LONGEST_REQUEST_SECONDS + 5),
      // Requests go to any task; the lease, not the balancer, decides where a notebook's kernel runs.
      stickiness: { type: "lb_cookie", enabled: false },
      healthCheck: {
        path: "/health",
        matcher: "200",
        interval: HEALTH_CHECK.intervalSeconds,
        timeout: HEALTH_CHECK.timeoutSeconds,
        healthyThreshold: 2,
        unhealthyThreshold: HEALTH_CHECK.unhealthyThreshold,
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
