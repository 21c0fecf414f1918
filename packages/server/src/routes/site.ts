// Serves the web front ends next to the API: the demo site at `/` (with `/n/:id` deep links answered by its
// index.html), the element's single-file bundle at `/element/`, and the host-page example at
// `/examples/host-page/`. When the demo site is not built, `/` answers a page saying how to build it.
import { existsSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import { OUTPUT_FRAME_PATH, OUTPUT_FRAME_POLICY } from "@reactive-notebook/protocol";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { VERSION } from "../version.js";

/** The repository root, seen from this file in the built server (packages/server/dist/src/routes/). */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");

/** Where the served folders are. Each defaults to its place in the repository; SITE_DIR and ELEMENT_DIR override. */
export interface SiteOptions {
  /** The built demo site (index.html + assets): `SITE_DIR`, else examples/demo-site/dist. */
  siteDir?: string;
  /** The element's bundle folder (reactive-notebook.js, vendor/): `ELEMENT_DIR`, else packages/element/dist/bundle. */
  elementDir?: string;
  /** The host-page example: examples/host-page. */
  hostPageDir?: string;
}

/** The folders the site routes serve, after defaults and environment overrides. */
export function siteDirectories(options: SiteOptions = {}, env: NodeJS.ProcessEnv = process.env) {
  return {
    siteDir: path.resolve(options.siteDir ?? env.SITE_DIR ?? path.join(REPO_ROOT, "examples/demo-site/dist")),
    elementDir: path.resolve(
      options.elementDir ?? env.ELEMENT_DIR ?? path.join(REPO_ROOT, "packages/element/dist/bundle"),
    ),
    hostPageDir: path.resolve(options.hostPageDir ?? path.join(REPO_ROOT, "examples/host-page")),
  };
}

/** Vendor chart libraries are large and change only with a release: let browsers and CDNs keep them. */
const VENDOR_CACHE = "public, max-age=2592000";
/** Everything else keeps its URL across releases, so it is revalidated (ETag) on every use. */
const REVALIDATE = "no-cache";
/** The demo site's hashed assets (assets/*-[hash].js) never change under one name. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const notBuiltPage = (what: string, command: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reactive Notebook — ${what} not built</title>
<style>
  body { font: 16px/1.55 system-ui, sans-serif; max-width: 42rem; margin: 4rem auto; padding: 0 1.25rem; color: #1f2328; }
  code, pre { background: #f3f4f6; border-radius: 6px; font-size: .95em; }
  code { padding: .1rem .35rem; } pre { padding: .75rem 1rem; overflow-x: auto; }
</style>
</head>
<body>
<h1>Reactive Notebook</h1>
<p>The notebook service is running (version ${VERSION}), but the ${what} is not built yet. From the repository root:</p>
<pre><code>${command}</code></pre>
<p>then restart the server. Meanwhile: <a href="/health"><code>/health</code></a>, and the API under
<a href="/api/v1/openapi.json"><code>/api/v1</code></a>.</p>
</body>
</html>
`;

const SITE_NOT_BUILT = notBuiltPage("demo site", "npm run build");

export const siteRoutes: FastifyPluginAsync<SiteOptions> = async (app, options) => {
  const { siteDir, elementDir, hostPageDir } = siteDirectories(options);
  const siteIndex = path.join(siteDir, "index.html");
  const siteBuilt = existsSync(siteIndex);

  const sendSiteIndex = (reply: FastifyReply) => {
    if (!siteBuilt)
      return reply.type("text/html; charset=utf-8").header("cache-control", REVALIDATE).send(SITE_NOT_BUILT);
    return reply.header("cache-control", REVALIDATE).sendFile("index.html", siteDir);
  };

  if (siteBuilt) {
    await app.register(fastifyStatic, {
      root: siteDir,
      prefix: "/",
      index: false,
      dotfiles: "ignore",
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const relative = path.relative(siteDir, filePath);
        res.setHeader("cache-control", relative.startsWith(`assets${path.sep}`) ? IMMUTABLE : REVALIDATE);
      },
    });
  } else {
    app.log.warn(`demo site not built (${siteIndex} is missing): / shows how to build it`);
  }
  // The single-page app routes its own URLs: `/` and every `/n/:id` deep link get the same index.html.
  app.get("/", (_request, reply) => sendSiteIndex(reply));
  app.get("/n/*", (_request, reply) => sendSiteIndex(reply));

  if (existsSync(elementDir)) {
    await app.register(fastifyStatic, {
      root: elementDir,
      prefix: "/element/",
      decorateReply: !siteBuilt,
      index: false,
      dotfiles: "ignore",
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const relative = path.relative(elementDir, filePath);
        // Host pages on other origins load the bundle, and the sandboxed (opaque-origin) output iframes load
        // the vendor scripts: both need a cross-origin resource policy.
        res.setHeader("cross-origin-resource-policy", "cross-origin");
        res.setHeader("access-control-allow-origin", "*");
        if (relative === path.normalize(OUTPUT_FRAME_PATH)) {
          // The output frame page: framed by host pages on any origin, always sandboxed (opaque origin) even
          // when a page frames it without a sandbox attribute, and never cached past a release.
          res.setHeader("content-security-policy", OUTPUT_FRAME_POLICY);
          // @fastify/static passes the raw response (its type only names getHeader/setHeader).
          (res as unknown as ServerResponse).removeHeader("x-frame-options");
          res.setHeader("cache-control", REVALIDATE);
          return;
        }
        res.setHeader("cache-control", relative.startsWith(`vendor${path.sep}`) ? VENDOR_CACHE : REVALIDATE);
      },
    });
  } else {
    app.log.warn(`element bundle not built (${elementDir} is missing): /element/ answers 404`);
    app.get("/element/*", (_request, reply) =>
      reply
        .code(404)
        .type("text/plain; charset=utf-8")
        .send("The element bundle is not built: run `npm run build -w @reactive-notebook/element`.\n"),
    );
  }

  if (existsSync(hostPageDir)) {
    await app.register(fastifyStatic, {
      root: hostPageDir,
      prefix: "/examples/host-page/",
      decorateReply: false,
      index: "index.html",
      dotfiles: "ignore",
      cacheControl: false,
      setHeaders: (res) => res.setHeader("cache-control", REVALIDATE),
    });
  }
};
