/**
 * The stdio server's settings, from the environment: where the service is and how to get a token. Any
 * problem is one sentence naming the variable, for the bin to print before it exits with code 2.
 */
import {
  ApiError,
  ConnectionError,
  devTokenProvider,
  InvalidRequestError,
  type NotebookClientOptions,
  NotFoundError,
  UnauthorizedError,
} from "@reactive-notebook/sdk";

/** Where the service listens when REACTIVE_NOTEBOOK_URL is not set (what `npm start` serves). */
export const DEFAULT_URL = "http://127.0.0.1:8080";

export interface Settings {
  baseUrl: string;
  /** A bearer token sent as is, or a dev-mode user whose tokens are minted by the service. */
  auth: { token: string } | { devUser: string };
}

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; message: string };

export function readSettings(env: Record<string, string | undefined>): SettingsResult {
  const url = env.REACTIVE_NOTEBOOK_URL?.trim() || DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`REACTIVE_NOTEBOOK_URL is not a URL: ${JSON.stringify(url)} (e.g. ${DEFAULT_URL}).`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return fail(`REACTIVE_NOTEBOOK_URL must be an http:// or https:// URL, not ${parsed.protocol}//.`);
  }
  const token = env.REACTIVE_NOTEBOOK_TOKEN?.trim();
  const devUser = env.REACTIVE_NOTEBOOK_DEV_USER?.trim();
  if (token && devUser) {
    return fail("Set REACTIVE_NOTEBOOK_TOKEN or REACTIVE_NOTEBOOK_DEV_USER, not both.");
  }
  if (token) {
    if (/\s/.test(token)) return fail("REACTIVE_NOTEBOOK_TOKEN has whitespace inside; give the bare token.");
    return { ok: true, settings: { baseUrl: url, auth: { token } } };
  }
  if (devUser) return { ok: true, settings: { baseUrl: url, auth: { devUser } } };
  return fail(
    "Set REACTIVE_NOTEBOOK_TOKEN (a bearer token for the service) or, against a dev-mode service, REACTIVE_NOTEBOOK_DEV_USER (the user id to act as).",
  );
}

function fail(message: string): SettingsResult {
  return { ok: false, message };
}

/** The NotebookClient options for these settings: a fixed token, or dev tokens minted as needed. */
export function clientOptions(settings: Settings): NotebookClientOptions {
  const { baseUrl, auth } = settings;
  const getToken = "token" in auth ? () => auth.token : devTokenProvider(baseUrl, auth.devUser);
  return { baseUrl, getToken };
}

/** Why the start-up check failed, as one sentence naming the setting to fix. */
export function describeStartupFailure(error: unknown, settings: Settings): string {
  const { baseUrl, auth } = settings;
  if (error instanceof ConnectionError)
    return `Cannot reach the notebook service (REACTIVE_NOTEBOOK_URL): ${error.message}`;
  if ("devUser" in auth && error instanceof NotFoundError) {
    return `${baseUrl} does not run in dev auth mode, so REACTIVE_NOTEBOOK_DEV_USER cannot get a token there; set REACTIVE_NOTEBOOK_TOKEN instead.`;
  }
  if ("devUser" in auth && error instanceof InvalidRequestError) {
    return `REACTIVE_NOTEBOOK_DEV_USER was refused by ${baseUrl}: ${error.message}`;
  }
  if (error instanceof UnauthorizedError)
    return `REACTIVE_NOTEBOOK_TOKEN was refused by ${baseUrl}: ${error.message}`;
  if (error instanceof ApiError)
    return `The notebook service at ${baseUrl} answered ${error.status} (${error.code}): ${error.message}`;
  return `Could not start: ${error instanceof Error ? error.message : String(error)}`;
}
