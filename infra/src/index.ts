// The infra package's only door. The terraform-cdk stacks arrive with the infrastructure issue.
export { type DeploymentConfig, loadDeploymentConfig } from "./config.js";
