/** The CDN bundle on its own (a fresh page per test file): one import registers the element and brings the SDK. */
// No ./helpers.js here: it registers the ESM build's element, and this file must see the bundle's own.
import { expect, fixture, html, waitUntil } from "@open-wc/testing";

const bundleUrl = new URL("../bundle/reactive-notebook.js", import.meta.url).href;

describe("dist/bundle/reactive-notebook.js", () => {
  it("registers <reactive-notebook> and exports the element and the SDK client", async () => {
    const bundle = await import(bundleUrl);
    expect(customElements.get("reactive-notebook")).to.equal(bundle.ReactiveNotebookElement);
    expect(bundle.NotebookClient).to.be.a("function");
    expect(bundle.NotFoundError).to.be.a("function");
  });

  it("its element signs in against the real service and lists notebooks", async () => {
    await import(bundleUrl);
    const { apiUrl } = (await (await fetch("/test-config.json")).json()) as { apiUrl: string };
    const key = `reactive-notebook:dev-user:${apiUrl}`;
    localStorage.setItem(key, `bundle-${Date.now()}`);
    try {
      const element = await fixture<HTMLElement>(
        html`<reactive-notebook api-url=${apiUrl}></reactive-notebook>`,
      );
      await waitUntil(
        () => element.shadowRoot?.querySelector("rn-notebook-list"),
        "the bundled element's list",
        {
          timeout: 30_000,
        },
      );
    } finally {
      localStorage.removeItem(key);
    }
  });
});
