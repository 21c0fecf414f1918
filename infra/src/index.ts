// The infra package's only door: the deployment configuration and the stack built from it.
export { type DeploymentConfig, loadDeploymentConfig } from "./config.js";
export { Data, RDS_CA_BUNDLE } from "./data.js";
export { Firewall, POSTGRES_PORT, REDIS_PORT, SERVER_PORT } from "./firewall.js";
export { LoadBalancer } from "./load-balancer.js";
export { Network, ZONES } from "./network.js";
export {
  CONTAINER_NAME,
  DEPLOY_TARGETS,
  HEALTH_COMMAND,
  SECRET_NAMES,
  type SecretName,
  Service,
} from "./service.js";
export { DeploymentStack, REQUIRED_TERRAFORM } from "./stack.js";
export {
  HEALTH_CHECK,
  KERNEL_LEASE_TTL_MS,
  LONGEST_REQUEST_SECONDS,
  STOP_TIMEOUT_SECONDS,
} from "./timings.js";
export { ELEMENT_PREFIX, SPA_FALLBACK_CODE, Web } from "./web.js";
