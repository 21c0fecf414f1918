// The command line of a sample database process: the kernels' sandbox layers (a network namespace with
// no interfaces, the unprivileged "nobody" user, no code generation from strings, an empty environment and
// a private working directory), plus a parent-death signal, so the process dies with the server even if
// it is spinning (setpriv sets it after changing user, which would otherwise clear it).
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SandboxLayers } from "../../kernel/index.js";

/** Debian's "nobody"/"nogroup", as for kernels. */
const SANDBOX_UID = 65534;
const HOST_ENTRY = fileURLToPath(new URL("./host.js", import.meta.url));

export interface SampleCommand {
  command: string;
  args: string[];
  cwd: string;
  /** Removes the private working directory once the process has exited. */
  cleanup(): void;
}

export function sampleCommand(layers: SandboxLayers, mode: "build" | "serve", heapMb: number): SampleCommand {
  const cwd = mkdtempSync(path.join(tmpdir(), "rn-sample-"));
  if (layers.unprivilegedUser) chownSync(cwd, SANDBOX_UID, SANDBOX_UID);
  const wrappers: string[] = [];
  if (layers.networkNamespace) wrappers.push("unshare", "--net");
  if (layers.unprivilegedUser) {
    wrappers.push(
      "setpriv",
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_UID}`,
      "--clear-groups",
      "--no-new-privs",
      "--pdeathsig=KILL",
    );
  }
  const full = [
    ...wrappers,
    process.execPath,
    "--disallow-code-generation-from-strings",
    `--max-old-space-size=${heapMb}`,
    HOST_ENTRY,
    mode,
  ];
  return {
    command: full[0] as string,
    args: full.slice(1),
    cwd,
    cleanup: () => rmSync(cwd, { recursive: true, force: true }),
  };
}
