// A sample database process's watchdog thread: when the server that started it is gone (the process was
// re-parented), it kills the process — from its own thread, so it works even while PostgreSQL is busy
// in the main thread. The parent-death signal (setpriv --pdeathsig) does the same where available.
import { workerData } from "node:worker_threads";

const { parent } = workerData as { parent: number };
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 500);
