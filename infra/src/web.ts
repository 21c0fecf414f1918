// The web front: a private S3 bucket holding the demo site and the element's versioned CDN bundle,
// served by CloudFront through origin access control (only this distribution can read the bucket).
// The same distribution forwards /api/* and /health to the load balancer, so the demo site and the API
// share one origin (the site calls the API at location.origin, WebSockets included).

import { CloudfrontCachePolicy } from "@cdktf/provider-aws/lib/cloudfront-cache-policy/index.js";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution/index.js";
import { CloudfrontFunction } from "@cdktf/provider-aws/lib/cloudfront-function/index.js";
import { CloudfrontOriginAccessControl } from "@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js";
import { CloudfrontResponseHeadersPolicy } from "@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js";
import { DataAwsCloudfrontCachePolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-cache-policy/index.js";
import { DataAwsCloudfrontOriginRequestPolicy } from "@cdktf/provider-aws/lib/data-aws-cloudfront-origin-request-policy/index.js";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket/index.js";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy/index.js";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning/index.js";
import { OUTPUT_FRAME_PATH, OUTPUT_FRAME_POLICY, sitePolicy } from "@reactive-notebook/protocol";
import { Construct } from "constructs";
import type { DeploymentConfig } from "./config.js";
import type { LoadBalancer } from "./load-balancer.js";

/** Where deploy.sh puts the element bundle: /element/<version>/reactive-notebook.js (never overwritten). */
export const ELEMENT_PREFIX = "element/";
const SITE_ORIGIN = "site-bucket";
const API_ORIGIN = "api";
const YEAR = 31_536_000;

/**
 * CloudFront Function (viewer request) of the default behaviour: the demo site routes its own URLs, so
 * every path without a file extension (`/`, `/n/<id>`, `/notebooks`) is answered by /index.html.
 * Paths with an extension are served as they are, so a missing asset is a 404, never HTML.
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split("/").pop();
  if (last === "" || last.indexOf(".") === -1) request.uri = "/index.html";
  return request;
}
`;

export class Web extends Construct {
  readonly bucket: S3Bucket;
  readonly distribution: CloudfrontDistribution;
  /** https://<site domain>, or https://<distribution>.cloudfront.net without one. */
  readonly url: string;

  constructor(scope: Construct, id: string, config: DeploymentConfig, loadBalancer: LoadBalancer) {
    super(scope, id);
    const { name } = config;
    this.bucket = new S3Bucket(this, "bucket", { bucketPrefix: `${name}-site-`.slice(0, 37) });
    new S3BucketPublicAccessBlock(this, "no-public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    const access = new CloudfrontOriginAccessControl(this, "origin-access", {
      name: `${name}-site`,
      description: "CloudFront reads the Reactive Notebook site bucket",
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    });

    const spaFallback = new CloudfrontFunction(this, "spa-fallback", {
      name: `${name}-spa-fallback`,
      runtime: "cloudfront-js-2.0",
      comment: "Extension-less paths of the demo site answer /index.html",
      publish: true,
      code: SPA_FALLBACK_CODE,
    });
    const cachePolicy = (key: string, comment: string, defaultTtl: number, maxTtl: number) =>
      new CloudfrontCachePolicy(this, key, {
        name: `${name}-${key}`,
        comment,
        minTtl: 0,
        defaultTtl,
        maxTtl,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "none" },
          headersConfig: { headerBehavior: "none" },
          queryStringsConfig: { queryStringBehavior: "none" },
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        },
      });
    // HTML and other unversioned names: a minute at the edge, so a deploy shows within minutes.
    const shortCache = cachePolicy("html", "Unversioned site files (index.html)", 60, 300);
    // Versioned paths (/element/<version>/…, hashed /assets/…) never change under one name.
    const longCache = cachePolicy("versioned", "Versioned and hashed files", YEAR, YEAR);
    const noCache = new DataAwsCloudfrontCachePolicy(this, "caching-disabled", {
      name: "Managed-CachingDisabled",
    });
    const allViewer = new DataAwsCloudfrontOriginRequestPolicy(this, "all-viewer", {
      name: "Managed-AllViewerExceptHostHeader",
    });

    const hsts = {
      accessControlMaxAgeSec: YEAR,
      includeSubdomains: false,
      preload: false,
      override: true,
    };
    const siteHeaders = new CloudfrontResponseHeadersPolicy(this, "site-headers", {
      name: `${name}-site-headers`,
      securityHeadersConfig: {
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        frameOptions: { frameOption: "SAMEORIGIN", override: true },
        // The policy the service sends with the site, so the deployed site runs as its tests do.
        contentSecurityPolicy: {
          contentSecurityPolicy: sitePolicy({
            clerkPublishableKey: config.clerk.publishableKey,
            upgradeInsecureRequests: true,
          }),
          override: true,
        },
      },
    });
    // Host pages on any origin import the bundle, and the output frames (opaque origin) load its vendor
    // scripts: both need CORS and a cross-origin resource policy, as the server sends at /element/.
    const elementHeaders = new CloudfrontResponseHeadersPolicy(this, "element-headers", {
      name: `${name}-element-headers`,
      corsConfig: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: { items: ["*"] },
        accessControlAllowMethods: { items: ["GET", "HEAD", "OPTIONS"] },
        accessControlAllowOrigins: { items: ["*"] },
        accessControlMaxAgeSec: 86_400,
        originOverride: true,
      },
      customHeadersConfig: {
        items: [{ header: "Cross-Origin-Resource-Policy", value: "cross-origin", override: true }],
      },
      securityHeadersConfig: { strictTransportSecurity: hsts, contentTypeOptions: { override: true } },
    });
    // The output frame page runs posted markup: like the service, send it sandboxed (an opaque origin even
    // when a page frames it without a sandbox attribute), frameable by any host page, never cached long.
    const frameHeaders = new CloudfrontResponseHeadersPolicy(this, "output-frame-headers", {
      name: `${name}-output-frame-headers`,
      customHeadersConfig: {
        items: [{ header: "Cross-Origin-Resource-Policy", value: "cross-origin", override: true }],
      },
      securityHeadersConfig: {
        strictTransportSecurity: hsts,
        contentTypeOptions: { override: true },
        contentSecurityPolicy: { contentSecurityPolicy: OUTPUT_FRAME_POLICY, override: true },
      },
    });

    const apiDomain =
      config.apiDomain !== undefined && loadBalancer.https ? config.apiDomain : loadBalancer.alb.dnsName;
    const siteBehaviour = {
      targetOriginId: SITE_ORIGIN,
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD", "OPTIONS"],
      cachedMethods: ["GET", "HEAD"],
      compress: true,
    };
    const apiBehaviour = (pathPattern: string) => ({
      pathPattern,
      targetOriginId: API_ORIGIN,
      viewerProtocolPolicy: "https-only",
      allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
      cachedMethods: ["GET", "HEAD"],
      cachePolicyId: noCache.id,
      originRequestPolicyId: allViewer.id,
      compress: true,
    });
    this.distribution = new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${name}: demo site, element bundle, API`,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: config.web.priceClass,
      defaultRootObject: "index.html",
      aliases: config.siteDomain === undefined ? undefined : [config.siteDomain],
      origin: [
        {
          originId: SITE_ORIGIN,
          domainName: this.bucket.bucketRegionalDomainName,
          originAccessControlId: access.id,
        },
        {
          originId: API_ORIGIN,
          domainName: apiDomain,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            // With a certificate the ALB is reached by its API domain over TLS; without one over HTTP.
            originProtocolPolicy: loadBalancer.https ? "https-only" : "http-only",
            originSslProtocols: ["TLSv1.2"],
            originReadTimeout: 60,
            originKeepaliveTimeout: 60,
          },
        },
      ],
      defaultCacheBehavior: {
        ...siteBehaviour,
        cachePolicyId: shortCache.id,
        responseHeadersPolicyId: siteHeaders.id,
        functionAssociation: [{ eventType: "viewer-request", functionArn: spaFallback.arn }],
      },
      orderedCacheBehavior: [
        apiBehaviour("/api/*"),
        apiBehaviour("/health"),
        {
          ...siteBehaviour,
          // Before the element's own behaviour: /element/<version>/vendor/frame.html.
          pathPattern: `/${ELEMENT_PREFIX}*/${OUTPUT_FRAME_PATH}`,
          cachePolicyId: shortCache.id,
          responseHeadersPolicyId: frameHeaders.id,
        },
        {
          ...siteBehaviour,
          pathPattern: `/${ELEMENT_PREFIX}*`,
          cachePolicyId: longCache.id,
          responseHeadersPolicyId: elementHeaders.id,
        },
        {
          ...siteBehaviour,
          pathPattern: "/assets/*",
          cachePolicyId: longCache.id,
          responseHeadersPolicyId: siteHeaders.id,
        },
      ],
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate:
        config.siteCertificateArn === undefined
          ? { cloudfrontDefaultCertificate: true }
          : {
              acmCertificateArn: config.siteCertificateArn,
              sslSupportMethod: "sni-only",
              minimumProtocolVersion: "TLSv1.2_2021",
            },
    });

    // Only this distribution may read, and nothing may reach the bucket without TLS.
    new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudFrontReadsThroughOriginAccessControl",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "s3:GetObject",
            Resource: `${this.bucket.arn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": this.distribution.arn } },
          },
          {
            Sid: "TlsOnly",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });

    this.url =
      config.siteDomain === undefined
        ? `https://${this.distribution.domainName}`
        : `https://${config.siteDomain}`;
  }
}
