"""The Jupyter anchor of the end-to-end benchmark: the same figures for a Jupyter IPython kernel (Debian's
python3-ipykernel), measured over its own protocol by jupyter_client in the same run. Prints one JSON object.

- kernel start: start_kernel() until the kernel answers (wait_for_ready), like a new notebook's first result
- trivial cell: execute_request of "1 + 1" until the kernel reports idle for it
- 100-cell chain: the cells c0 = 0; c1 = c0 + 1; ... executed one after another by hand, each until idle
"""

import json
import sys
import time

from jupyter_client.manager import KernelManager

STARTS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
TRIVIAL = int(sys.argv[2]) if len(sys.argv) > 2 else 200
CHAINS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
CHAIN_CELLS = 100


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def execute(client, code):
    """Sends code and returns once the kernel is idle again after it (its iopub status for this request)."""
    msg_id = client.execute(code, store_history=False)
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"]["execution_state"] == "idle"
        ):
            break
    reply = client.get_shell_msg(timeout=60)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")


def start():
    started = time.perf_counter()
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return (time.perf_counter() - started) * 1000, manager, client


def main():
    starts = []
    for _ in range(STARTS):
        ms, manager, client = start()
        starts.append(ms)
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    _, manager, client = start()
    try:
        trivial = []
        for i in range(20 + TRIVIAL):
            began = time.perf_counter()
            execute(client, "1 + 1")
            if i >= 20:
                trivial.append((time.perf_counter() - began) * 1000)

        chains = []
        for round_ in range(CHAINS + 1):
            began = time.perf_counter()
            execute(client, f"c0 = {round_}")
            for i in range(1, CHAIN_CELLS):
                execute(client, f"c{i} = c{i - 1} + 1")
            if round_ > 0:
                chains.append((time.perf_counter() - began) * 1000)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)

    print(
        json.dumps(
            {
                "kernelStartP50Ms": median(starts),
                "executeToIdleP50Ms": median(trivial),
                "chain100ByHandP50Ms": median(chains),
            }
        )
    )


main()
