/** The CDN bundle on its own (a fresh page per test file): one import registers the element and brings the SDK. */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";

const bundleUrl = new URL("../bundle/reactive-notebook.js", import.meta.url).href;

describe("dist/bundle/reactive-notebook.js", () => {
  it("registers <reactive-notebook> and exports the element and the SDK client", async () => {
    const bundle = await import(bundleUrl);
    expect(customElements.get("reactive-notebook")).to.equal(bundle.ReactiveNotebookElement);
    expect(bundle.NotebookClient).to.be.a("function");
    expect(bundle.NotFoundError).to.be.a("function");
  });

  it("its element connects to a service", async () => {
    await import(bundleUrl);
    const element = await fixture<HTMLElement>(
      html`<reactive-notebook api-url=${`${location.origin}/test-api`}></reactive-notebook>`,
    );
    await waitUntil(
      () =>
        element.shadowRoot?.querySelector('[part="status"]')?.textContent === "Connected — service v0.1.0",
      "the bundled element never connected",
    );
  });
});
