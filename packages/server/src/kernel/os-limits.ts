// Memory and CPU caps the operating system enforces on each kernel process, whatever runs inside it.
// RLIMIT_DATA (through prlimit) makes an allocation past the cap fail at once (MemoryError, RangeError);
// RLIMIT_AS cannot be used because WebAssembly reserves many GiB of address space it never touches. Where
// the server may create control groups (Linux, root), each kernel also gets its own cgroup (v2, else v1)
// with a memory cap, which also covers what RLIMIT_DATA does not see, and a CPU cap of one core.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** How one kind of cap is enforced on this machine. */
export type CapMechanism = "cgroup v2" | "cgroup v1" | "rlimit" | "none";

export interface OsLimits {
  memory: CapMechanism[];
  cpu: CapMechanism;
}

/** Extra memory a kernel process needs beyond its Python heap (Node, V8 heaps, Pyodide itself). */
export const PROCESS_OVERHEAD_MB = 400;
/** CPU a kernel may use: one core. */
export const KERNEL_CPU_CORES = 1;
const CPU_PERIOD_US = 100_000;

/** One kernel's control group(s): the directories its process joins, and their cleanup. */
export interface KernelGroup {
  dirs: string[];
  /** The groups the process joins before it starts (the memory cap holds from its first allocation). */
  joinAtStart: string[];
  /**
   * Caps the process at KERNEL_CPU_CORES. Applied once the kernel is ready: its start (compiling the
   * interpreter on several threads) runs uncapped, so the cap does not slow kernel start; no user code runs
   * before it.
   */
  limitCpu(pid: number): void;
  /** Whether the OS stopped the process for passing the memory cap. */
  hitMemoryCap(): boolean;
  remove(): void;
}

interface Hierarchy {
  version: 2 | 1;
  /** Directory under which this server's kernel groups are created. */
  parent: string;
  controllers: ("memory" | "cpu")[];
}

function write(file: string, value: string): void {
  writeFileSync(file, value);
}

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Mount points of cgroup file systems: v2's, and v1's by controller. */
function cgroupMounts(): { v2: string | null; v1: Map<string, string> } {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of read("/proc/self/mountinfo").split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const mountPoint = left.split(" ")[4];
    const [fsType, , options] = right.split(" ");
    if (!mountPoint) continue;
    if (fsType === "cgroup2") v2 ??= mountPoint;
    else if (fsType === "cgroup")
      for (const option of options?.split(",") ?? [])
        if (option === "memory" || option === "cpu") v1.set(option, mountPoint);
  }
  return { v2, v1 };
}

/** This process's group path per hierarchy ("0" for v2, the controller name for v1). */
function ownGroups(): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of read("/proc/self/cgroup").split("\n")) {
    const [id, controllers, group] = line.split(":");
    if (group === undefined) continue;
    if (id === "0" && controllers === "") groups.set("0", group);
    for (const name of controllers?.split(",") ?? []) groups.set(name, group);
  }
  return groups;
}

/** Removes the empty groups left by servers that ended without closing (their pid is gone). */
function removeStale(base: string): void {
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(/^rn-kernels-(\d+)/.exec(entry)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // still running
    } catch {
      // gone
    }
    const parent = path.join(base, entry);
    try {
      for (const child of readdirSync(parent, { withFileTypes: true }))
        if (child.isDirectory()) rmdirSync(path.join(parent, child.name));
      rmdirSync(parent);
    } catch {
      // a group still in use or not ours to remove
    }
  }
}

function tryV2(tag: string): Hierarchy[] | null {
  const { v2 } = cgroupMounts();
  const own = ownGroups().get("0");
  if (!v2 || own === undefined) return null;
  const base = path.join(v2, own);
  const available = read(path.join(base, "cgroup.controllers")).split(/\s+/);
  if (!available.includes("memory") || !available.includes("cpu")) return null;
  removeStale(base);
  const parent = path.join(base, tag);
  try {
    mkdirSync(parent, { recursive: true });
    write(path.join(parent, "cgroup.subtree_control"), "+memory +cpu");
    return [{ version: 2, parent, controllers: ["memory", "cpu"] }];
  } catch {
    try {
      rmdirSync(parent);
    } catch {
      // not created
    }
    return null;
  }
}

function tryV1(tag: string): Hierarchy[] | null {
  const { v1 } = cgroupMounts();
  const own = ownGroups();
  const found: Hierarchy[] = [];
  for (const controller of ["memory", "cpu"] as const) {
    const mount = v1.get(controller);
    const group = own.get(controller);
    if (!mount || group === undefined) continue;
    removeStale(path.join(mount, group));
    const parent = path.join(mount, group, tag);
    try {
      mkdirSync(parent, { recursive: true });
      found.push({ version: 1, parent, controllers: [controller] });
    } catch {
      // not allowed here
    }
  }
  return found.some((h) => h.controllers.includes("memory")) ? found : null;
}

function works(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: "ignore", timeout: 5000 }).status === 0;
  } catch {
    return false;
  }
}

let managers = 0;

/** The caps this server puts on its kernel processes. Probed once per KernelManager. */
export class KernelOsLimits {
  readonly describe: OsLimits;
  private readonly hierarchies: Hierarchy[];
  private readonly rlimit: boolean;
  private next = 1;

  constructor(
    private readonly memoryMb: number,
    enabled = process.platform === "linux" && process.env.RN_KERNEL_OS_SANDBOX !== "off",
  ) {
    const root = enabled && process.getuid?.() === 0;
    // One parent group per manager: several managers in one process (tests) never share or remove each other's.
    const tag = `rn-kernels-${process.pid}-${++managers}`;
    this.hierarchies = root ? (tryV2(tag) ?? tryV1(tag) ?? []) : [];
    this.rlimit = enabled && works("prlimit", ["--data=unlimited", "true"]);
    const version = this.hierarchies[0]?.version;
    const memory: CapMechanism[] = [];
    if (version) memory.push(`cgroup v${version}`);
    if (this.rlimit) memory.push("rlimit");
    const cpu = this.hierarchies.find((h) => h.controllers.includes("cpu"));
    this.describe = { memory, cpu: cpu ? `cgroup v${cpu.version}` : "none" };
  }

  /** Bytes a kernel process may hold in all. */
  get memoryCapBytes(): number {
    return (this.memoryMb + PROCESS_OVERHEAD_MB) * 1024 * 1024;
  }

  /** A new group for one kernel process, or null where there are no groups. */
  createGroup(): KernelGroup | null {
    if (this.hierarchies.length === 0) return null;
    const name = `k${this.next++}`;
    const dirs: string[] = [];
    try {
      for (const hierarchy of this.hierarchies) {
        const dir = path.join(hierarchy.parent, name);
        mkdirSync(dir);
        dirs.push(dir);
        if (hierarchy.controllers.includes("memory")) {
          const bytes = String(this.memoryCapBytes);
          if (hierarchy.version === 2) {
            write(path.join(dir, "memory.max"), bytes);
            write(path.join(dir, "memory.swap.max"), "0");
          } else {
            write(path.join(dir, "memory.limit_in_bytes"), bytes);
          }
        }
      }
    } catch (error) {
      removeDirs(dirs);
      throw new Error(`could not create the kernel's control group: ${(error as Error).message}`);
    }
    const memoryDir = dirs[this.hierarchies.findIndex((h) => h.controllers.includes("memory"))] ?? "";
    const version = this.hierarchies[0]?.version;
    const cpuIndex = this.hierarchies.findIndex((h) => h.controllers.includes("cpu"));
    const cpuDir = cpuIndex >= 0 ? dirs[cpuIndex] : undefined;
    return {
      dirs,
      joinAtStart: dirs.filter((_, index) => this.hierarchies[index]?.controllers.includes("memory")),
      limitCpu: (pid: number) => {
        if (!cpuDir) return;
        const quota = String(KERNEL_CPU_CORES * CPU_PERIOD_US);
        if (version === 2) write(path.join(cpuDir, "cpu.max"), `${quota} ${CPU_PERIOD_US}`);
        else {
          write(path.join(cpuDir, "cpu.cfs_period_us"), String(CPU_PERIOD_US));
          write(path.join(cpuDir, "cpu.cfs_quota_us"), quota);
          // v1's cpu hierarchy is separate: the process joins it now, so during its start its threads
          // competed for CPU one by one, as before, not as one group.
          write(path.join(cpuDir, "cgroup.procs"), String(pid));
        }
      },
      hitMemoryCap: () => {
        if (version === 2) return /\boom_kill [1-9]/.test(read(path.join(memoryDir, "memory.events")));
        return Number(read(path.join(memoryDir, "memory.failcnt")) || 0) > 0;
      },
      remove: () => removeDirs(dirs),
    };
  }

  /**
   * The command prefix that applies the caps before the sandbox layers and node start: joins the groups
   * (from a shell, so the process is capped before it runs any JavaScript), then sets RLIMIT_DATA.
   */
  wrap(group: KernelGroup | null): string[] {
    const prefix: string[] = [];
    if (group && group.joinAtStart.length > 0) {
      const join =
        'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 70; shift; n=$((n-1)); done; exec "$@"';
      prefix.push("/bin/sh", "-c", join, "rn-kernel", String(group.joinAtStart.length), ...group.joinAtStart);
    }
    if (this.rlimit) prefix.push("prlimit", `--data=${this.memoryCapBytes}`, "--");
    return prefix;
  }

  /** Removes this server's group directories (at close; kernels are gone by then). */
  close(): void {
    for (const hierarchy of this.hierarchies) removeDirs([hierarchy.parent]);
  }
}

/** Removes empty group directories; one whose process is still leaving is retried a few times. */
function removeDirs(dirs: string[], attempts = 5): void {
  const left = dirs.filter((dir) => {
    if (!existsSync(dir)) return false;
    try {
      rmdirSync(dir);
      return false;
    } catch {
      return true;
    }
  });
  if (left.length > 0 && attempts > 1) setTimeout(() => removeDirs(left, attempts - 1), 200).unref();
}
