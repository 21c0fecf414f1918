/** This package's version, read once from its package.json; MCP clients see it in the server's info. */
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const VERSION: string = manifest.version;
