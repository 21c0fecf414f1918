// Copies every non-TypeScript file under src/ (the kernel's Python runtime, static assets) into dist/src/.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "src");
const to = path.join(root, "dist", "src");

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const source = path.join(dir, entry);
    if (statSync(source).isDirectory()) {
      if (entry !== "__pycache__") walk(source);
    } else if (!/\.(ts|tsx)$/.test(entry)) {
      const target = path.join(to, path.relative(from, source));
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(source, target);
    }
  }
}

if (existsSync(from)) walk(from);
