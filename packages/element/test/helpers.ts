/** Shared by the element's tests: the real service's URL, SDK clients for dev users, and shadow-DOM lookups. */
import { fixture, html } from "@open-wc/testing";
import { devTokenProvider, type Notebook, NotebookClient } from "@reactive-notebook/sdk";
import { sendKeys } from "@web/test-runner-commands";
import "../src/define.js";
import { devUserKey, type ReactiveNotebookElement } from "../src/index.js";
import type { NotebookCellElement } from "../src/notebook-cell/index.js";
import type { NotebookListElement } from "../src/notebook-list/index.js";
import type { NotebookViewElement } from "../src/notebook-view/index.js";

let apiUrlPromise: Promise<string> | undefined;

/** The URL of the service web-test-runner started for this run (see web-test-runner.config.mjs). */
export function serviceUrl(): Promise<string> {
  apiUrlPromise ??= fetch("/test-config.json")
    .then((response) => response.json())
    .then((config: { apiUrl: string }) => config.apiUrl);
  return apiUrlPromise;
}

/** A fresh user id per call, so tests do not see each other's notebooks. */
export function uniqueUser(prefix = "user"): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** An SDK client signed in as `userId` through the dev token route — "another client" in tests. */
export async function clientFor(userId: string): Promise<NotebookClient> {
  const baseUrl = await serviceUrl();
  return new NotebookClient({ baseUrl, getToken: devTokenProvider(baseUrl, userId) });
}

/** Remembers `userId` as the dev sign-in for the service, as the element's sign-in form does. */
export async function rememberDevUser(userId: string | null): Promise<void> {
  const key = devUserKey(await serviceUrl());
  if (userId) localStorage.setItem(key, userId);
  else localStorage.removeItem(key);
}

/** Polls `predicate` every 50 ms until it returns something truthy (which is returned) or `timeout` passes. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  message: string,
  timeout = 60_000,
): Promise<T> {
  const deadline = performance.now() + timeout;
  for (;;) {
    let value: T | undefined | null | false;
    let failure: unknown;
    try {
      value = predicate();
    } catch (error) {
      failure = error;
    }
    if (value) return value;
    if (performance.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms: ${message}${failure ? ` (${String(failure)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `<reactive-notebook>` for `userId` (dev sign-in remembered), on `notebookId` or the list. */
export async function notebookElement(
  userId: string,
  notebookId = "",
  theme: "light" | "dark" = "light",
): Promise<ReactiveNotebookElement> {
  await rememberDevUser(userId);
  const apiUrl = await serviceUrl();
  return fixture<ReactiveNotebookElement>(
    html`<reactive-notebook api-url=${apiUrl} notebook-id=${notebookId} theme=${theme}></reactive-notebook>`,
  );
}

export function viewOf(element: ReactiveNotebookElement): NotebookViewElement | null {
  return element.shadowRoot?.querySelector("rn-notebook-view") ?? null;
}

/** The notebook list once its (lazily loaded) component has upgraded and rendered, else null. */
export function listOf(element: ReactiveNotebookElement): NotebookListElement | null {
  const list = element.shadowRoot?.querySelector("rn-notebook-list");
  return list?.shadowRoot ? list : null;
}

/** The rendered cells, in display order. */
export function cellsOf(element: ReactiveNotebookElement): NotebookCellElement[] {
  return [...(viewOf(element)?.shadowRoot?.querySelectorAll("rn-cell") ?? [])];
}

/** Waits until the notebook view shows `count` cells that have rendered their editors. */
export async function waitForCells(
  element: ReactiveNotebookElement,
  count: number,
): Promise<NotebookCellElement[]> {
  return waitFor(() => {
    const cells = cellsOf(element);
    return (
      cells.length === count && cells.every((cell) => cell.shadowRoot?.querySelector(".cm-content")) && cells
    );
  }, `${count} cells`);
}

/** The text of a cell's outputs (inside `<rn-outputs>`'s shadow root). */
export function outputText(cell: NotebookCellElement): string {
  const outputs = cell.shadowRoot?.querySelector("rn-outputs");
  return outputs?.shadowRoot?.textContent?.trim() ?? "";
}

export function statusText(cell: NotebookCellElement): string {
  return cell.shadowRoot?.querySelector(".status .badge")?.textContent?.trim() ?? "";
}

export function editorText(cell: NotebookCellElement): string {
  return cell.shadowRoot?.querySelector(".cm-content")?.textContent ?? "";
}

/** The deepest focused element, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Creates a notebook for `userId` through the SDK. */
export async function createNotebook(
  userId: string,
  cells: { type: "python" | "sql" | "markdown"; code: string; name?: string }[],
  name = "Test notebook",
): Promise<{ client: NotebookClient; notebook: Notebook }> {
  const client = await clientFor(userId);
  const notebook = await client.notebooks.create({ name, cells });
  return { client, notebook };
}

/** Clicks a button found by its visible text or aria-label in `root`. */
export function button(root: ParentNode | null | undefined, label: string | RegExp): HTMLButtonElement {
  const buttons = [...(root?.querySelectorAll("button") ?? [])];
  const found = buttons.find((candidate) => {
    const text = candidate.getAttribute("aria-label") ?? candidate.textContent?.trim() ?? "";
    return typeof label === "string"
      ? text === label || candidate.textContent?.trim() === label
      : label.test(text);
  });
  if (!found) throw new Error(`no button "${label}"`);
  return found;
}

/** Presses `key` with modifiers held, through the real keyboard (e.g. `press(["Control"], "a")`). */
export async function press(modifiers: string[], key: string): Promise<void> {
  for (const modifier of modifiers) await sendKeys({ down: modifier });
  await sendKeys({ press: key });
  for (const modifier of [...modifiers].reverse()) await sendKeys({ up: modifier });
}
