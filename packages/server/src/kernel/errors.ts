// Errors the kernel layer throws to its callers.

/** No kernel can be given to this notebook right now (limit reached, start failed); the message says why. */
export class KernelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelUnavailableError";
  }
}
