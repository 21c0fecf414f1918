#!/usr/bin/env node
// Writes the tool list of docs/agents.md from the built tool definitions and formats the page as the repository
// does (`npm run docs:tools -w @reactive-notebook/mcp`); test/reference.test.ts fails while they differ.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withReference } from "../dist/src/index.js";

const page = fileURLToPath(new URL("../../../docs/agents.md", import.meta.url));
writeFileSync(page, withReference(readFileSync(page, "utf8")));
const format = spawnSync("npx", ["biome", "format", "--write", page], { stdio: "inherit" });
process.exit(format.status ?? 1);
