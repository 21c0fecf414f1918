/** `client.dev`: the routes that exist only when the server runs in dev auth mode. */
import type { DevTokenResponse } from "@reactive-notebook/protocol";
import type { RequestOptions, RequestSender } from "../request.js";
import { api } from "./path.js";

/** Dev-mode helpers; every route here answers 404 on a server in Clerk mode. */
export class DevResource {
  readonly #sender: RequestSender;

  /** @internal Made by NotebookClient. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Mints a token for `userId` (no auth needed; dev mode only).
   *
   * @example
   * ```ts
   * const { token, expiresAt } = await client.dev.token("alice");
   * // usually through devTokenProvider(baseUrl, "alice"), which caches it until shortly before expiresAt
   * ```
   */
  token(userId: string, options?: RequestOptions): Promise<DevTokenResponse> {
    return this.#sender.send(
      { method: "POST", path: api("dev", "token"), body: { userId }, auth: false },
      options,
    );
  }
}
