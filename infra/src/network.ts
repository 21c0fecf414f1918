// The network: one VPC over two availability zones, a public subnet per zone (the load balancer and
// the NAT gateways) and a private subnet per zone (tasks, database, Redis), whose only way out is NAT.
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones/index.js";
import { Eip } from "@cdktf/provider-aws/lib/eip/index.js";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway/index.js";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway/index.js";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table/index.js";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association/index.js";
import { Subnet } from "@cdktf/provider-aws/lib/subnet/index.js";
import { Vpc } from "@cdktf/provider-aws/lib/vpc/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";

/** How many availability zones the deployment spans. */
export const ZONES = 2;

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];

  constructor(scope: Construct, id: string, config: DeploymentConfig) {
    super(scope, id);
    const { name } = config;
    const zones = new DataAwsAvailabilityZones(this, "zones", { state: "available" });
    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: config.network.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    const gateway = new InternetGateway(this, "internet", { vpcId: this.vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, "public-routes", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
      tags: { Name: `${name}-public` },
    });

    // A /16–/18 VPC split into /20–/22 blocks: 0–1 public, 2–3 private (4 bits leave room for more).
    const bits = 4;
    const nats: NatGateway[] = [];
    for (let zone = 0; zone < ZONES; zone++) {
      const availabilityZone = Fn.element(zones.names, zone);
      const publicSubnet = new Subnet(this, `public-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone,
        cidrBlock: Fn.cidrsubnet(this.vpc.cidrBlock, bits, zone),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${zone}`, tier: "public" },
      });
      new RouteTableAssociation(this, `public-${zone}-routes`, {
        subnetId: publicSubnet.id,
        routeTableId: publicRoutes.id,
      });
      this.publicSubnets.push(publicSubnet);
      if (zone < config.network.natGateways) {
        const address = new Eip(this, `nat-${zone}-address`, {
          domain: "vpc",
          tags: { Name: `${name}-nat-${zone}` },
        });
        nats.push(
          new NatGateway(this, `nat-${zone}`, {
            allocationId: address.allocationId,
            subnetId: publicSubnet.id,
            tags: { Name: `${name}-${zone}` },
            dependsOn: [gateway],
          }),
        );
      }
    }
    for (let zone = 0; zone < ZONES; zone++) {
      const privateSubnet = new Subnet(this, `private-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: Fn.element(zones.names, zone),
        cidrBlock: Fn.cidrsubnet(this.vpc.cidrBlock, bits, ZONES + zone),
        tags: { Name: `${name}-private-${zone}`, tier: "private" },
      });
      const nat = nats[zone] ?? (nats[0] as NatGateway);
      const routes = new RouteTable(this, `private-${zone}-routes-table`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: { Name: `${name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-${zone}-routes`, {
        subnetId: privateSubnet.id,
        routeTableId: routes.id,
      });
      this.privateSubnets.push(privateSubnet);
    }
  }
}
