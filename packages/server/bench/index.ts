// Runs every benchmark but the load test (or those named on the command line, from `suites` below) in one
// process run, each printing its figures next to the baseline or target it measured in the same run.
import { pathToFileURL } from "node:url";

const suites: Record<string, () => Promise<unknown>> = {
  reactive: async () => (await import("./reactive.js")).runReactiveBench(),
  chain: async () => (await import("./chain.js")).runChainBench(),
  kernel: async () => (await import("./kernel.js")).runKernelBench(),
  "kernel-start": async () => (await import("./kernel-start.js")).runKernelStartBench(),
  http: async () => (await import("./http.js")).runHttpBench(),
  sql: async () => (await import("./sql.js")).runSqlBench(),
  scale: async () => (await import("./scale.js")).runScaleBench(),
  mcp: async () => (await import("./mcp.js")).runMcpBench(),
  controls: async () => (await import("./controls.js")).runControlsBench(),
  e2e: async () => (await import("./e2e.js")).runE2eBench(),
  // The chain row of e2e alone, beside the same service sending each cell to its kernel alone (the baseline).
  "e2e-chain": async () => (await import("./e2e.js")).runChainE2eBench(),
  // Only when named: minutes long, and it fills the machine's memory with kernels (see load.ts).
  load: async () => (await import("./load.js")).runLoadBench(),
};
const DEFAULT_SUITES = Object.keys(suites).filter((name) => name !== "load");

export async function runBenchmarks(names: string[]): Promise<void> {
  const chosen = names.length > 0 ? names : DEFAULT_SUITES;
  for (const name of chosen) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(suites).join(", ")}`);
    console.log(`\n== ${name} ==`);
    await suite();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runBenchmarks(process.argv.slice(2));
  process.exit(0);
}
