// The synthesized deployment, read as a reviewer would: what is reachable, what is encrypted, where
// secrets come from, and that sizes follow the configuration.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEPLOY_TARGETS, type SecretName } from "../src/index.js";
import { CERTIFICATE, containers, must, type Synthesized, synthesize, tf } from "./synth.js";

/** A reference to one of the four secrets, at the fixed address deploy.sh targets. */
const secretRef = (synth: Synthesized, name: string, attribute: string) => {
  const address = DEPLOY_TARGETS.secrets[name as SecretName];
  assert.ok(synth.json.resource.aws_secretsmanager_secret?.[address.split(".")[1] as string], address);
  return tf(`${address}.${attribute}`);
};

const withDomains = {
  RN_INFRA_API_DOMAIN: "api.notebooks.example.com",
  RN_INFRA_API_CERTIFICATE_ARN: CERTIFICATE,
  RN_INFRA_SITE_DOMAIN: "notebooks.example.com",
  RN_INFRA_SITE_CERTIFICATE_ARN: CERTIFICATE,
};
const plain = synthesize();
const custom = synthesize(withDomains);

test("the site bucket is not public and only the CloudFront distribution can read it", () => {
  for (const synth of [plain, custom]) {
    const bucket = synth.at("aws_s3_bucket", "web/bucket");
    const block = synth.at("aws_s3_bucket_public_access_block", "web/no-public-access").body;
    assert.equal(block.bucket, bucket.ref("id"));
    for (const key of [
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ])
      assert.equal(block[key], true, key);
    assert.deepEqual(synth.at("aws_s3_bucket_ownership_controls", "web/ownership").body.rule, {
      object_ownership: "BucketOwnerEnforced",
    });
    assert.equal(synth.all("aws_s3_bucket_acl").length, 0);
    assert.equal(synth.all("aws_s3_bucket_website_configuration").length, 0);

    const policy = JSON.parse(synth.at("aws_s3_bucket_policy", "web/policy").body.policy as string) as {
      Statement: {
        Effect: string;
        Principal: unknown;
        Action: string;
        Condition: Record<string, Record<string, string>>;
      }[];
    };
    const allows = policy.Statement.filter((statement) => statement.Effect === "Allow");
    const distribution = synth.at("aws_cloudfront_distribution", "web/distribution");
    assert.deepEqual(allows, [
      {
        Sid: "CloudFrontReadsThroughOriginAccessControl",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${bucket.ref("arn")}/*`,
        Condition: { StringEquals: { "AWS:SourceArn": distribution.ref("arn") } },
      },
    ]);
    const origins = distribution.body.origin as Record<string, unknown>[];
    const siteOrigin = origins.find((origin) => origin.origin_id === "site-bucket");
    assert.equal(siteOrigin?.domain_name, bucket.ref("bucket_regional_domain_name"));
    assert.equal(
      siteOrigin?.origin_access_control_id,
      synth.at("aws_cloudfront_origin_access_control", "web/origin-access").ref("id"),
    );
    const control = synth.at("aws_cloudfront_origin_access_control", "web/origin-access").body;
    assert.equal(control.signing_behavior, "always");
    assert.equal(control.origin_access_control_origin_type, "s3");
  }
});

test("with a certificate the load balancer answers HTTPS and redirects HTTP there", () => {
  const listeners = custom.all("aws_lb_listener").map(([, body]) => body);
  const https = listeners.find((listener) => listener.protocol === "HTTPS");
  assert.ok(https, "an HTTPS listener");
  assert.equal(https.port, 443);
  assert.equal(https.certificate_arn, CERTIFICATE);
  assert.match(String(https.ssl_policy), /^ELBSecurityPolicy-TLS13/);
  assert.deepEqual(https.default_action, [
    {
      type: "forward",
      target_group_arn: custom.at("aws_lb_target_group", "load-balancer/targets").ref("arn"),
    },
  ]);
  const http = listeners.find((listener) => listener.protocol === "HTTP");
  assert.equal(http?.port, 80);
  assert.deepEqual(http?.default_action, [
    { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
  ]);
  assert.equal(listeners.length, 2);
  assert.equal(custom.json.output.api_url?.value, "https://api.notebooks.example.com");
});

test("without a certificate there is one plain HTTP listener and no redirect", () => {
  const listeners = plain.all("aws_lb_listener").map(([, body]) => body);
  assert.equal(listeners.length, 1);
  assert.equal(listeners[0]?.protocol, "HTTP");
  assert.equal((must(listeners[0]).default_action as { type: string }[])[0]?.type, "forward");
  assert.match(String(plain.json.output.api_url?.value), /^http:\/\/\$\{aws_lb\./);
});

test("the load balancer keeps quiet WebSockets open (idle timeout ≥ 120 s) and checks /health", () => {
  assert.ok(Number(plain.at("aws_lb", "load-balancer/alb").body.idle_timeout) >= 120);
  const longer = synthesize({ RN_INFRA_IDLE_TIMEOUT_S: "900" });
  assert.equal(longer.at("aws_lb", "load-balancer/alb").body.idle_timeout, 900);
  const health = plain.at("aws_lb_target_group", "load-balancer/targets").body.health_check as Record<
    string,
    unknown
  >;
  assert.equal(health.path, "/health");
  assert.equal(health.matcher, "200");
  assert.equal(plain.at("aws_lb_target_group", "load-balancer/targets").body.target_type, "ip");
});

test("no stickiness, and the balancer's timings fit the kernel lease and the longest request", () => {
  const targets = plain.at("aws_lb_target_group", "load-balancer/targets").body;
  assert.deepEqual(targets.stickiness, { type: "lb_cookie", enabled: false });
  const health = targets.health_check as { interval: number; unhealthy_threshold: number; timeout: number };
  const [server] = containers(plain);
  assert.ok(server);
  const environment = Object.fromEntries(
    (server.environment as { name: string; value: string }[]).map((entry) => [entry.name, entry.value]),
  );
  const leaseSeconds = Number(environment.KERNEL_LEASE_TTL_MS) / 1000;
  assert.ok(leaseSeconds >= 1 && leaseSeconds <= 10, "the server accepts a lease of 1–10 s");
  // A dead task is out of rotation within about two lease lifetimes of its death.
  assert.ok(health.interval * health.unhealthy_threshold <= 2 * leaseSeconds, JSON.stringify(health));
  assert.ok(health.timeout < health.interval);
  // A replaced task drains its longest request (a run with ?wait=60) before it is stopped.
  assert.ok(Number(targets.deregistration_delay) >= 60);
  // And gets longer than the server's own 10 s shutdown to hand its leases over before SIGKILL.
  assert.ok(Number(server.stopTimeout) > 10);
});

test("the four secrets reach the task only through Secrets Manager", () => {
  const [server, ...others] = containers(plain);
  assert.equal(others.length, 0);
  assert.ok(server);
  const secretNames = ["CLERK_SECRET_KEY", "NOTEBOOK_SECRET_KEY", "DATABASE_URL", "REDIS_URL"];
  const secrets = server.secrets as { name: string; valueFrom: string }[];
  assert.deepEqual(
    secrets.map((secret) => secret.name),
    secretNames,
  );
  for (const secret of secrets) {
    assert.equal(secret.valueFrom, secretRef(plain, secret.name, "arn"));
  }
  const environment = server.environment as { name: string; value: string }[];
  for (const name of secretNames) assert.ok(!environment.some((variable) => variable.name === name), name);

  // Terraform never holds a secret value: the URLs are written write-only, the keys by deploy.sh.
  const versions = plain.all("aws_secretsmanager_secret_version").map(([, body]) => body);
  assert.deepEqual(
    versions.map((version) => version.secret_id),
    [secretRef(plain, "DATABASE_URL", "id"), secretRef(plain, "REDIS_URL", "id")],
  );
  for (const version of versions) assert.equal(version.secret_string, undefined);
  const [database, redis] = versions;
  assert.match(
    String(database?.secret_string_wo),
    /^postgresql:\/\/notebook:\$\{urlencode\(var\.database_password\)\}@/,
  );
  assert.match(String(database?.secret_string_wo), /sslmode=verify-full$/);
  assert.match(String(redis?.secret_string_wo), /^rediss:\/\/:\$\{urlencode\(var\.redis_auth_token\)\}@/);
  assert.equal(redis?.secret_string_wo_version, tf("var.redis_auth_token_version"));
  assert.equal(plain.json.variable.database_password?.ephemeral, true);
  assert.equal(plain.json.variable.database_password?.sensitive, true);
  assert.equal(plain.at("aws_db_instance", "data/postgres").body.password, undefined);
  assert.equal(plain.at("aws_db_instance", "data/postgres").body.password_wo, tf("var.database_password"));

  // Only ECS (the execution role) may read them, and only them.
  const execution = plain.at("aws_iam_role_policy", "service/execution-policy").body;
  const statements = (
    JSON.parse(execution.policy as string) as { Statement: { Action: unknown; Resource: unknown }[] }
  ).Statement;
  const reads = statements.filter((statement) => statement.Action === "secretsmanager:GetSecretValue");
  assert.deepEqual(
    reads.map((statement) => statement.Resource),
    [secretNames.map((name) => secretRef(plain, name, "arn"))],
  );
});

test("the task role grants no AWS permission", () => {
  const task = plain.at("aws_ecs_task_definition", "service/task").body;
  const role = plain.at("aws_iam_role", "service/task-role");
  assert.equal(task.task_role_arn, role.ref("arn"));
  const policies = plain.all("aws_iam_role_policy").filter(([, body]) => body.role === role.ref("id"));
  assert.equal(policies.length, 1);
  assert.deepEqual(JSON.parse(policies[0]?.[1].policy as string), {
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
  });
  assert.equal(plain.all("aws_iam_role_policy_attachment").length, 0);
  assert.equal(plain.all("aws_iam_policy_attachment").length, 0);
});

test("RDS PostgreSQL is encrypted, private, backed up and requires TLS", () => {
  const database = plain.at("aws_db_instance", "data/postgres").body;
  assert.equal(database.storage_encrypted, true);
  assert.equal(database.publicly_accessible, false);
  assert.ok(Number(database.backup_retention_period) >= 1);
  assert.equal(database.skip_final_snapshot, false);
  assert.deepEqual(database.vpc_security_group_ids, [
    plain.at("aws_security_group", "firewall/database").ref("id"),
  ]);
  const subnets = plain.at("aws_db_subnet_group", "data/subnets").body.subnet_ids as string[];
  assert.deepEqual(subnets, [
    plain.at("aws_subnet", "network/private-0").ref("id"),
    plain.at("aws_subnet", "network/private-1").ref("id"),
  ]);
  const parameters = plain.at("aws_db_parameter_group", "data/parameters").body;
  assert.deepEqual(parameters.parameter, [{ name: "rds.force_ssl", value: "1" }]);
  const sized = synthesize({ RN_INFRA_DB_BACKUP_DAYS: "14", RN_INFRA_DB_INSTANCE_CLASS: "db.m7g.large" });
  assert.equal(sized.at("aws_db_instance", "data/postgres").body.backup_retention_period, 14);
  assert.equal(sized.at("aws_db_instance", "data/postgres").body.instance_class, "db.m7g.large");
});

test("Redis is private, encrypts in transit and requires a token; the server connects with rediss:// and the token", () => {
  const redis = plain.at("aws_elasticache_replication_group", "data/redis");
  assert.equal(redis.body.transit_encryption_enabled, true);
  assert.equal(redis.body.transit_encryption_mode, "required");
  assert.equal(redis.body.at_rest_encryption_enabled, "true");
  assert.deepEqual(redis.body.security_group_ids, [
    plain.at("aws_security_group", "firewall/redis").ref("id"),
  ]);
  assert.equal(redis.body.auth_token, tf("var.redis_auth_token"));
  assert.equal(redis.body.auth_token_update_strategy, "ROTATE");
  const token = plain.json.variable.redis_auth_token;
  assert.equal(token?.sensitive, true);
  assert.equal(token?.nullable, false);
  assert.equal(token?.default, undefined, "no default token: every deployment brings its own");
  const environment = containers(plain)[0]?.environment as { name: string; value: string }[];
  assert.ok(!environment.some((variable) => variable.name === "REDIS_URL"), "REDIS_URL is a secret");
  const url = plain
    .all("aws_secretsmanager_secret_version")
    .map(([, body]) => body)
    .find((body) => body.secret_id === secretRef(plain, "REDIS_URL", "id"));
  assert.equal(
    url?.secret_string_wo,
    `rediss://:${tf("urlencode(var.redis_auth_token)")}@${redis.ref("primary_endpoint_address")}:6379`,
  );
  const replicated = synthesize({ RN_INFRA_REDIS_NODES: "2" }).at(
    "aws_elasticache_replication_group",
    "data/redis",
  );
  assert.equal(replicated.body.num_cache_clusters, 2);
  assert.equal(replicated.body.automatic_failover_enabled, true);
});

test("nothing reaches the tasks except the load balancer, and the tasks reach only what they need", () => {
  const groups = Object.fromEntries(
    ["alb", "tasks", "database", "redis"].map((key) => [
      key,
      plain.at("aws_security_group", `firewall/${key}`),
    ]),
  );
  for (const [, group] of plain.all("aws_security_group")) {
    assert.equal(group.ingress, undefined, "no inline rules");
    assert.equal(group.egress, undefined, "no inline rules");
  }
  assert.equal(plain.all("aws_security_group_rule").length, 0);
  const rules = (type: string, group: string) =>
    plain
      .all(type)
      .map(([, body]) => body)
      .filter((body) => body.security_group_id === groups[group]?.ref("id"))
      .map((body) => ({
        port: body.from_port,
        toPort: body.to_port,
        peer: body.referenced_security_group_id ?? body.cidr_ipv4,
      }))
      .sort((a, b) => Number(a.port) - Number(b.port) || String(a.peer).localeCompare(String(b.peer)));
  const ingress = "aws_vpc_security_group_ingress_rule";
  const egress = "aws_vpc_security_group_egress_rule";
  assert.deepEqual(rules(ingress, "tasks"), [{ port: 8080, toPort: 8080, peer: groups.alb?.ref("id") }]);
  assert.deepEqual(rules(ingress, "database"), [{ port: 5432, toPort: 5432, peer: groups.tasks?.ref("id") }]);
  assert.deepEqual(rules(ingress, "redis"), [{ port: 6379, toPort: 6379, peer: groups.tasks?.ref("id") }]);
  assert.deepEqual(rules(egress, "database"), []);
  assert.deepEqual(rules(egress, "redis"), []);
  assert.deepEqual(rules(egress, "alb"), [{ port: 8080, toPort: 8080, peer: groups.tasks?.ref("id") }]);
  assert.deepEqual(rules(egress, "tasks"), [
    { port: 443, toPort: 443, peer: "0.0.0.0/0" },
    { port: 5432, toPort: 5432, peer: groups.database?.ref("id") },
    { port: 5432, toPort: 5432, peer: "0.0.0.0/0" },
    { port: 6379, toPort: 6379, peer: groups.redis?.ref("id") },
  ]);
  const closed = synthesize({ RN_INFRA_SQL_EGRESS_PORTS: "none" });
  assert.equal(closed.all(egress).filter(([, body]) => body.cidr_ipv4 === "0.0.0.0/0").length, 1);

  const service = plain.at("aws_ecs_service", "service").body.network_configuration as Record<
    string,
    unknown
  >;
  assert.equal(service.assign_public_ip, false);
  assert.deepEqual(service.security_groups, [groups.tasks?.ref("id")]);
});

test("desired count and autoscaling bounds follow the configuration", () => {
  const defaults = plain.at("aws_ecs_service", "service").body;
  assert.equal(defaults.desired_count, 2);
  const scaling = plain.at("aws_appautoscaling_target", "service/scaling").body;
  assert.equal(scaling.min_capacity, 2);
  assert.equal(scaling.max_capacity, 4);

  const sized = synthesize({
    RN_INFRA_DESIRED_COUNT: "3",
    RN_INFRA_MIN_COUNT: "2",
    RN_INFRA_MAX_COUNT: "10",
    RN_INFRA_CPU_TARGET: "55",
    RN_INFRA_MEMORY_TARGET: "65",
  });
  assert.equal(sized.at("aws_ecs_service", "service").body.desired_count, 3);
  const bounds = sized.at("aws_appautoscaling_target", "service/scaling");
  assert.equal(bounds.body.min_capacity, 2);
  assert.equal(bounds.body.max_capacity, 10);
  assert.equal(bounds.body.scalable_dimension, "ecs:service:DesiredCount");
  const targets = Object.fromEntries(
    sized.all("aws_appautoscaling_policy").map(([, body]) => {
      const tracking = body.target_tracking_scaling_policy_configuration as Record<string, unknown>;
      const metric = tracking.predefined_metric_specification as { predefined_metric_type: string };
      assert.equal(body.resource_id, bounds.ref("resource_id"));
      return [metric.predefined_metric_type, tracking.target_value];
    }),
  );
  assert.deepEqual(targets, { ECSServiceAverageCPUUtilization: 55, ECSServiceAverageMemoryUtilization: 65 });
});

test("the task is sized by the configuration and runs the image from the stack's repository", () => {
  const sized = synthesize({
    RN_INFRA_CPU: "2048",
    RN_INFRA_MEMORY_MB: "8192",
    RN_INFRA_IMAGE_TAG: "0.1.0-abc1234",
  });
  const task = sized.at("aws_ecs_task_definition", "service/task").body;
  assert.equal(task.cpu, "2048");
  assert.equal(task.memory, "8192");
  assert.deepEqual(task.requires_compatibilities, ["FARGATE"]);
  const [server] = containers(sized);
  assert.equal(server?.image, `${tf("aws_ecr_repository.server_image.repository_url")}:0.1.0-abc1234`);
  assert.equal(server?.user, undefined, "the image's unprivileged user by default");
  assert.equal(containers(synthesize({ RN_INFRA_RUN_AS_ROOT: "true" }))[0]?.user, "0");
  const environment = Object.fromEntries(
    (must(server).environment as { name: string; value: string }[]).map((variable) => [
      variable.name,
      variable.value,
    ]),
  );
  assert.equal(environment.NODE_ENV, "production");
  assert.equal(environment.AUTH_MODE, "clerk");
  assert.equal(environment.PORT, "8080");
  assert.equal(sized.json.resource.aws_ecr_repository?.server_image?.image_tag_mutability, "IMMUTABLE");
});

test("the site's origin is the one CORS and Clerk accept", () => {
  const environment = Object.fromEntries(
    (must(containers(custom)[0]).environment as { name: string; value: string }[]).map((v) => [
      v.name,
      v.value,
    ]),
  );
  assert.equal(environment.ALLOWED_ORIGINS, "https://notebooks.example.com");
  assert.equal(environment.CLERK_AUTHORIZED_PARTIES, "https://notebooks.example.com");
  const embedded = synthesize({
    RN_INFRA_ALLOWED_ORIGINS: "https://blog.example.org",
    RN_INFRA_CLERK_AUTHORIZED_PARTIES: "https://blog.example.org",
    RN_INFRA_CLERK_PUBLISHABLE_KEY: "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k",
  });
  const distribution = embedded.at("aws_cloudfront_distribution", "web/distribution").ref("domain_name");
  const variables = Object.fromEntries(
    (must(containers(embedded)[0]).environment as { name: string; value: string }[]).map((v) => [
      v.name,
      v.value,
    ]),
  );
  assert.equal(variables.ALLOWED_ORIGINS, `https://${distribution},https://blog.example.org`);
  assert.equal(variables.CLERK_AUTHORIZED_PARTIES, `https://${distribution},https://blog.example.org`);
  assert.equal(variables.CLERK_PUBLISHABLE_KEY, "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k");
});

test("outputs name the site, the API and the image repository", () => {
  assert.equal(custom.json.output.site_url?.value, "https://notebooks.example.com");
  assert.equal(custom.json.output.element_base_url?.value, "https://notebooks.example.com/element/");
  assert.equal(
    plain.json.output.ecr_repository_url?.value,
    tf("aws_ecr_repository.server_image.repository_url"),
  );
  for (const key of ["site_bucket", "distribution_id", "cluster_name", "service_name", "secret_arns"])
    assert.ok(plain.json.output[key], key);
});

test("the network spans two zones with private subnets behind NAT", () => {
  assert.equal(plain.all("aws_subnet").length, 4);
  assert.equal(plain.all("aws_nat_gateway").length, 1);
  assert.equal(synthesize({ RN_INFRA_NAT_GATEWAYS: "2" }).all("aws_nat_gateway").length, 2);
  for (const zone of [0, 1]) {
    const routes = plain.at("aws_route_table", `network/private-${zone}-routes-table`).body.route as Record<
      string,
      string
    >[];
    assert.equal(routes[0]?.nat_gateway_id, plain.at("aws_nat_gateway", "network/nat-0").ref("id"));
    assert.notEqual(plain.at("aws_subnet", `network/public-${zone}`).body.map_public_ip_on_launch, true);
  }
  assert.equal(plain.at("aws_vpc", "network/vpc").body.cidr_block, "10.40.0.0/16");
});

test("state goes to an encrypted, locked S3 backend when a bucket is configured", () => {
  assert.deepEqual(plain.json.terraform.backend, {
    local: { path: "../../../terraform.reactive-notebook.tfstate" },
  });
  const remote = synthesize({ RN_INFRA_STATE_BUCKET: "acme-terraform-state", RN_INFRA_NAME: "rn-prod" });
  assert.deepEqual(remote.json.terraform.backend, {
    s3: {
      bucket: "acme-terraform-state",
      key: "rn-prod/terraform.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    },
  });
});
