#!/usr/bin/env bash
# Deploys Reactive Notebook to AWS: synthesizes the stack, creates the image repository and the secrets,
# writes the secret values, builds and pushes the server image, applies the whole stack, uploads the demo
# site and the versioned element bundle, and invalidates CloudFront.
#
# Needs: node/npm, terraform (>= 1.11) or tofu (>= 1.11, set TERRAFORM=tofu), docker with buildx, aws
# CLI v2 with credentials for the target account, openssl, git. Run from anywhere inside the repository.
#
# Configuration: RN_INFRA_* variables or RN_INFRA_CONFIG=<file.json> (see infra/README.md), plus
#   RN_DATABASE_PASSWORD  the RDS master password (16+ characters; keep it: every run needs the same one,
#                         set RN_DATABASE_PASSWORD_VERSION to a higher number to change it)
#   RN_REDIS_AUTH_TOKEN   the ElastiCache AUTH token (16–128 letters and digits, e.g. `openssl rand -hex 32`;
#                         keep it; to rotate, give a new one with a higher RN_REDIS_AUTH_TOKEN_VERSION)
#   CLERK_SECRET_KEY      sk_live_…/sk_test_…: required on the first deploy, optional later (kept)
#   NOTEBOOK_SECRET_KEY   64 hex characters: generated on the first deploy when unset, never overwritten
#                         unless given (changing it makes stored SQL connection strings unreadable)
#   RN_DEPLOY_AUTO_APPROVE=1  apply without Terraform's confirmation prompt
# Not tested against AWS from the machine it was written on (no Docker daemon, no AWS account there).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TERRAFORM="${TERRAFORM:-terraform}"
say() { printf '\n▶ %s\n' "$*"; }
fail() { printf 'deploy: %s\n' "$*" >&2; exit 1; }

for tool in node npm "$TERRAFORM" docker aws openssl git; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[[ -n "${RN_DATABASE_PASSWORD:-}" ]] || fail "set RN_DATABASE_PASSWORD (the RDS master password, 16+ characters)"
[[ ${#RN_DATABASE_PASSWORD} -ge 16 ]] || fail "RN_DATABASE_PASSWORD must have at least 16 characters"
[[ "${RN_REDIS_AUTH_TOKEN:-}" =~ ^[A-Za-z0-9]{16,128}$ ]] ||
  fail "set RN_REDIS_AUTH_TOKEN (the Redis AUTH token: 16 to 128 letters and digits, e.g. openssl rand -hex 32)"
if [[ -n "${NOTEBOOK_SECRET_KEY:-}" && ! "$NOTEBOOK_SECRET_KEY" =~ ^[0-9a-fA-F]{64}$ ]]; then
  fail "NOTEBOOK_SECRET_KEY must be 64 hex characters"
fi
if [[ -n "${CLERK_SECRET_KEY:-}" && ! "$CLERK_SECRET_KEY" =~ ^sk_(test|live)_ ]]; then
  fail "CLERK_SECRET_KEY must start with sk_test_ or sk_live_"
fi

cd "$ROOT"
VERSION="$(node -p 'require("./packages/server/package.json").version')"
ELEMENT_VERSION="$(node -p 'require("./packages/element/package.json").version')"
COMMIT="$(git rev-parse --short=12 HEAD)"
if [[ -n "$(git status --porcelain)" ]]; then COMMIT="${COMMIT}-dirty-$(date +%Y%m%d%H%M%S)"; fi
export RN_INFRA_IMAGE_TAG="${RN_INFRA_IMAGE_TAG:-${VERSION}-${COMMIT}}"
export TF_VAR_database_password="$RN_DATABASE_PASSWORD"
export TF_VAR_database_password_version="${RN_DATABASE_PASSWORD_VERSION:-1}"
export TF_VAR_redis_auth_token="$RN_REDIS_AUTH_TOKEN"
export TF_VAR_redis_auth_token_version="${RN_REDIS_AUTH_TOKEN_VERSION:-1}"

say "build the packages (demo site, element bundle, infra)"
npm run build --silent

say "synthesize the stack"
npm run synth --silent -w @reactive-notebook/infra
NAME="$(node --input-type=module -e '
  const { loadDeploymentConfig } = await import(process.argv[1]);
  console.log(loadDeploymentConfig().name);' "$ROOT/infra/dist/src/index.js")"
REGION="$(node --input-type=module -e '
  const { loadDeploymentConfig } = await import(process.argv[1]);
  console.log(loadDeploymentConfig().region);' "$ROOT/infra/dist/src/index.js")"
STACK="$ROOT/infra/cdktf.out/stacks/$NAME"
TARGETS="$(node --input-type=module -e '
  const { DEPLOY_TARGETS } = await import(process.argv[1]);
  console.log([DEPLOY_TARGETS.repository, ...Object.values(DEPLOY_TARGETS.secrets)].map((t) => `-target=${t}`).join(" "));
' "$ROOT/infra/dist/src/index.js")"
tf() { "$TERRAFORM" -chdir="$STACK" "$@"; }
APPROVE=()
[[ "${RN_DEPLOY_AUTO_APPROVE:-}" == "1" ]] && APPROVE=(-auto-approve)
export AWS_REGION="$REGION"

say "terraform init ($STACK)"
tf init -input=false

say "create the image repository and the secrets first"
# shellcheck disable=SC2086 # TARGETS is a list of -target=… words
tf apply -input=false "${APPROVE[@]}" $TARGETS
output() { tf output -raw "$1"; }
secret_arn() { tf output -json secret_arns | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
has_value() { aws secretsmanager describe-secret --secret-id "$1" --query 'length(keys(VersionIdsToStages || `{}`))' --output text | grep -qv '^0$'; }
put_secret() { printf '%s' "$2" | aws secretsmanager put-secret-value --secret-id "$1" --secret-string file:///dev/stdin >/dev/null; }

say "write the secret values (never through Terraform)"
CLERK_ARN="$(secret_arn CLERK_SECRET_KEY)"
if [[ -n "${CLERK_SECRET_KEY:-}" ]]; then
  put_secret "$CLERK_ARN" "$CLERK_SECRET_KEY" && echo "CLERK_SECRET_KEY written"
elif has_value "$CLERK_ARN"; then
  echo "CLERK_SECRET_KEY kept"
else
  fail "CLERK_SECRET_KEY has no value yet: set it for the first deploy"
fi
NOTEBOOK_ARN="$(secret_arn NOTEBOOK_SECRET_KEY)"
if [[ -n "${NOTEBOOK_SECRET_KEY:-}" ]]; then
  put_secret "$NOTEBOOK_ARN" "$NOTEBOOK_SECRET_KEY" && echo "NOTEBOOK_SECRET_KEY written"
elif has_value "$NOTEBOOK_ARN"; then
  echo "NOTEBOOK_SECRET_KEY kept"
else
  put_secret "$NOTEBOOK_ARN" "$(openssl rand -hex 32)" && echo "NOTEBOOK_SECRET_KEY generated"
fi

say "build and push the server image ($RN_INFRA_IMAGE_TAG)"
REPOSITORY="$(output ecr_repository_url)"
REPOSITORY_NAME="${REPOSITORY#*/}"
if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids "imageTag=$RN_INFRA_IMAGE_TAG" >/dev/null 2>&1; then
  echo "$REPOSITORY:$RN_INFRA_IMAGE_TAG exists already (tags are immutable): not rebuilt"
else
  aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY%%/*}"
  docker buildx build --platform linux/amd64 --tag "$REPOSITORY:$RN_INFRA_IMAGE_TAG" --push "$ROOT"
fi

say "apply the whole stack"
tf apply -input=false "${APPROVE[@]}"

say "upload the demo site and the element bundle"
BUCKET="$(output site_bucket)"
SITE="$ROOT/examples/demo-site/dist"
BUNDLE="$ROOT/packages/element/dist/bundle"
[[ -f "$SITE/index.html" && -f "$BUNDLE/reactive-notebook.js" ]] || fail "the demo site or the element bundle is not built"
# Hashed assets first, index.html last: a new page never points at files that are not there yet.
aws s3 sync "$SITE/assets" "s3://$BUCKET/assets" --cache-control "public, max-age=31536000, immutable"
# A published element version is never overwritten: host pages pin it and CDNs keep it for a year.
if aws s3api head-object --bucket "$BUCKET" --key "element/$ELEMENT_VERSION/reactive-notebook.js" >/dev/null 2>&1; then
  echo "element $ELEMENT_VERSION is published already: kept (bump the element's version to publish changes)"
else
  aws s3 sync "$BUNDLE" "s3://$BUCKET/element/$ELEMENT_VERSION" --cache-control "public, max-age=31536000, immutable"
fi
aws s3 sync "$SITE" "s3://$BUCKET/" --exclude "assets/*" --exclude ".tsc/*" --exclude "*.map" --cache-control "no-cache"

say "invalidate CloudFront"
aws cloudfront create-invalidation --distribution-id "$(output distribution_id)" --paths "/*" --query 'Invalidation.Id' --output text

say "done"
echo "site:    $(output site_url)"
echo "api:     $(output api_url)"
echo "element: $(output element_base_url)$ELEMENT_VERSION/reactive-notebook.js"
