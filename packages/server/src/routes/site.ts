// Serves the page at `/`: a placeholder until the demo site (examples/demo-site) is built into the server.
import type { FastifyPluginAsync } from "fastify";
import { VERSION } from "../version.js";

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reactive Notebook</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
  code { background: #f3f4f6; padding: .1rem .3rem; border-radius: 4px; }
</style>
</head>
<body>
<h1>Reactive Notebook</h1>
<p>The notebook service is running (version ${VERSION}). Edit <code>x = 20</code> and every cell that reads
<code>x</code> re-runs by itself.</p>
<p>Health: <a href="/health"><code>/health</code></a>. The API lives under <code>/api/v1</code>.</p>
</body>
</html>
`;

export const siteRoutes: FastifyPluginAsync = async (app) => {
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(page));
};
