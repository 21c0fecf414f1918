/** `<reactive-notebook>` in a real Chromium: its header, its service status against real HTTP, its events and themes. */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { emulateMedia } from "@web/test-runner-commands";
import "../src/define.js";
import type { ReactiveNotebookElement, ServiceStatus, ServiceStatusEvent } from "../src/index.js";

/** The dev server answers /test-api/health like a healthy service (see web-test-runner.config.mjs). */
const healthyApi = `${location.origin}/test-api`;
const failingApi = `${location.origin}/test-api-failing`;
/** Nothing listens on this loopback port. */
const unreachableApi = "http://127.0.0.1:45679";

function part(element: ReactiveNotebookElement, name: string): HTMLElement {
  const found = element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part="${name}" in the shadow root`);
  return found;
}

async function settledStatus(element: ReactiveNotebookElement): Promise<HTMLElement> {
  await waitUntil(() => part(element, "status").dataset.state !== "connecting", "the status never settled", {
    timeout: 8000,
  });
  return part(element, "status");
}

function background(element: ReactiveNotebookElement): string {
  return getComputedStyle(element).getPropertyValue("--rn-color-background").trim();
}

describe("<reactive-notebook>", () => {
  afterEach(() => emulateMedia({ colorScheme: "light" }));

  it("is registered once, and defining it again is harmless", async () => {
    const first = customElements.get("reactive-notebook");
    await import("../src/define.js");
    expect(first).to.exist;
    expect(customElements.get("reactive-notebook")).to.equal(first);
  });

  it("renders a header with the product name in its shadow DOM", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${healthyApi}></reactive-notebook>`,
    );
    expect(part(element, "header").tagName).to.equal("HEADER");
    expect(part(element, "title").textContent).to.equal("Reactive Notebook");
    expect(element.querySelector("header")).to.equal(null);
  });

  it("shows Connected with the service version when /health answers", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${healthyApi}></reactive-notebook>`,
    );
    const status = await settledStatus(element);
    expect(status.dataset.state).to.equal("connected");
    expect(status.textContent).to.equal("Connected — service v0.1.0");
  });

  it("says it cannot reach an unreachable service, naming the URL and the reason", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${unreachableApi}></reactive-notebook>`,
    );
    const status = await settledStatus(element);
    expect(status.dataset.state).to.equal("error");
    expect(status.textContent).to.match(
      /^Cannot reach the notebook service at http:\/\/127\.0\.0\.1:45679: \S+/,
    );
  });

  it("shows the service's own message when it answers with an error", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${failingApi}></reactive-notebook>`,
    );
    const status = await settledStatus(element);
    expect(status.dataset.state).to.equal("error");
    expect(status.textContent).to.contain("The service is starting up. (HTTP 503)");
  });

  it("asks for an api-url when it has none", async () => {
    const element = await fixture<ReactiveNotebookElement>(html`<reactive-notebook></reactive-notebook>`);
    const status = await settledStatus(element);
    expect(status.textContent).to.contain("set the api-url attribute");
  });

  it("re-checks the service when api-url changes", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${failingApi}></reactive-notebook>`,
    );
    expect((await settledStatus(element)).dataset.state).to.equal("error");
    element.apiUrl = healthyApi;
    await waitUntil(() => part(element, "status").dataset.state === "connected", "never reconnected");
  });

  it("fires a bubbling, composed service-status event the host page can hear", async () => {
    const heard: ServiceStatus[] = [];
    const listener = (event: ServiceStatusEvent) => {
      expect(event.bubbles && event.composed).to.equal(true);
      heard.push(event.detail);
    };
    document.body.addEventListener("service-status", listener);
    try {
      await fixture(html`<reactive-notebook api-url=${healthyApi}></reactive-notebook>`);
      await waitUntil(() => heard.length > 0, "no service-status event");
    } finally {
      document.body.removeEventListener("service-status", listener);
    }
    expect(heard).to.deep.equal([{ state: "connected", apiUrl: healthyApi, version: "0.1.0" }]);
  });

  it("theme=dark switches the --rn-* colour tokens", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook theme="light" api-url=${healthyApi}></reactive-notebook>`,
    );
    expect(background(element)).to.equal("#ffffff");
    element.theme = "dark";
    await element.updateComplete;
    expect(element.getAttribute("theme")).to.equal("dark");
    expect(background(element)).to.equal("#0d1117");
    expect(getComputedStyle(part(element, "header")).backgroundColor).to.equal("rgb(22, 27, 34)");
  });

  it("theme=auto follows the system colour scheme", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${healthyApi}></reactive-notebook>`,
    );
    expect(element.theme).to.equal("auto");
    expect(background(element)).to.equal("#ffffff");
    await emulateMedia({ colorScheme: "dark" });
    expect(background(element)).to.equal("#0d1117");
  });

  it("lets the host page override a token from outside", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook style="--rn-color-background: rgb(1, 2, 3)" theme="dark"></reactive-notebook>`,
    );
    expect(background(element)).to.equal("rgb(1, 2, 3)");
    expect(getComputedStyle(element).backgroundColor).to.equal("rgb(1, 2, 3)");
  });
});
