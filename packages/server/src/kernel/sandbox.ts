// Decides how a kernel process is confined on this machine and builds its command line: the layers
// that always apply (no code generation from strings, empty environment, private working directory)
// plus, on Linux as root, a network namespace without interfaces and the unprivileged "nobody" uid.
import { spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SandboxLayers } from "./types.js";

/** uid/gid the kernel runs as when the OS layer is available (Debian's "nobody"/"nogroup"). */
export const KERNEL_UID = 65534;

function works(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: "ignore", timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

/**
 * Probes once which OS layers this machine allows (both need Linux and root).
 * RN_KERNEL_OS_SANDBOX=off turns them off, to check that the other layers hold alone.
 */
export function detectSandboxLayers(): SandboxLayers {
  const root =
    process.platform === "linux" && process.getuid?.() === 0 && process.env.RN_KERNEL_OS_SANDBOX !== "off";
  return {
    networkNamespace: root && works("unshare", ["--net", "true"]),
    unprivilegedUser:
      root && works("setpriv", [`--reuid=${KERNEL_UID}`, `--regid=${KERNEL_UID}`, "--clear-groups", "true"]),
    codeGenerationDisallowed: true,
  };
}

/**
 * The kernel process's whole environment (nothing of the server's): a fixed malloc mmap threshold, so glibc
 * maps every block over 128 KiB on its own and returns it to the OS when freed. Without it the buffers of a kernel's start (the snapshot and the wasm bytes it
 * reads, copies of them on the way) stay in the malloc heap after they are freed, ~40 MB of idle RSS.
 */
export const KERNEL_ENV: Readonly<Record<string, string>> = Object.freeze({
  GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072",
});

export interface KernelCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Removes the private working directory once the process has exited. */
  cleanup(): void;
}

/**
 * The command that starts `entry` (the kernel host script) under every available layer; `prefix` (the OS
 * caps, see os-limits.ts) runs first, as root, before the uid is dropped.
 */
export function kernelCommand(
  layers: SandboxLayers,
  entry: string,
  memoryMb: number,
  prefix: string[] = [],
  hostArgs: string[] = [],
): KernelCommand {
  const cwd = mkdtempSync(path.join(tmpdir(), "rn-kernel-"));
  if (layers.unprivilegedUser) chownSync(cwd, KERNEL_UID, KERNEL_UID);
  const node = [
    process.execPath,
    "--disallow-code-generation-from-strings",
    `--max-old-space-size=${Math.max(128, memoryMb)}`,
    entry,
    // The worker's heap limit: the host starts the worker before the server's first message arrives.
    String(memoryMb),
    ...hostArgs,
  ];
  const wrappers: string[] = [];
  if (layers.networkNamespace) wrappers.push("unshare", "--net");
  if (layers.unprivilegedUser)
    wrappers.push(
      "setpriv",
      `--reuid=${KERNEL_UID}`,
      `--regid=${KERNEL_UID}`,
      "--clear-groups",
      "--no-new-privs",
    );
  const full = [...prefix, ...wrappers, ...node];
  return {
    command: full[0] as string,
    args: full.slice(1),
    cwd,
    env: { ...KERNEL_ENV },
    cleanup: () => rmSync(cwd, { recursive: true, force: true }),
  };
}
