/**
 * Who is signed in to the site. Dev mode (the embedded default): the visitor picks a user id, the SDK's
 * devTokenProvider mints tokens for it, and the id is remembered in localStorage so a reload stays signed
 * in. Clerk mode: the element's own Clerk sign-in runs and hands the site its signed-in client.
 */
import { type AuthMode, type ClientConfig, devTokenProvider, NotebookClient } from "@reactive-notebook/sdk";
import { readStorage, writeStorage } from "./theme.js";

/** A signed-in visitor: the client every page uses (its token provider is shared with the element). */
export interface Session {
  userId: string;
  mode: AuthMode;
  client: NotebookClient;
  /** The token provider the element gets in dev mode; in Clerk mode the element keeps its own. */
  getToken?: () => Promise<string>;
}

const DEV_USER_KEY = "reactive-notebook-demo:dev-user";

/** `GET /api/v1/config` through the SDK: the auth mode, the version and, in Clerk mode, the publishable key. */
export function fetchClientConfig(baseUrl: string): Promise<ClientConfig> {
  return new NotebookClient({ baseUrl }).config();
}

/** Signs in as `userId` on a dev-mode service: checks the token works, then remembers the id. */
export async function signInDev(baseUrl: string, userId: string): Promise<Session> {
  const getToken = devTokenProvider(baseUrl, userId);
  const client = new NotebookClient({ baseUrl, getToken });
  const me = await client.me();
  writeStorage(DEV_USER_KEY, me.userId);
  return { userId: me.userId, mode: "dev", client, getToken };
}

/** The dev user id remembered from the last sign-in in this browser, if any. */
export function rememberedDevUser(): string | null {
  return readStorage(DEV_USER_KEY);
}

export function forgetDevUser(): void {
  writeStorage(DEV_USER_KEY, null);
}

/** A session from the client the element signed in with Clerk, once the service accepts its token. */
export async function sessionFromClient(client: NotebookClient): Promise<Session> {
  const me = await client.me();
  return { userId: me.userId, mode: me.authMode, client };
}
