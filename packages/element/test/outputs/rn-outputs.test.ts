/** `<rn-outputs>` in a real Chromium: every MIME type renders into its part, in order, with the right semantics. */
import { expect, waitUntil } from "@open-wc/testing";
import { emulateMedia, sendKeys } from "@web/test-runner-commands";
import { defineOutputs, getVendorBase, setVendorBase } from "../../src/outputs/index.js";
import { frame, frameHeight, mount, PNG_2X1, part, parts, settledFrame } from "./helpers.js";

describe("<rn-outputs>", () => {
  it("is registered once, and defining it again is harmless", () => {
    const first = customElements.get("rn-outputs");
    defineOutputs();
    expect(first).to.exist;
    expect(customElements.get("rn-outputs")).to.equal(first);
  });

  it("renders outputs in order, each in an output part naming its MIME type", async () => {
    const element = await mount([
      { mimeType: "text/plain", data: "first" },
      { mimeType: "application/json", data: { a: 1 } },
      { mimeType: "text/markdown", data: "**third**" },
    ]);
    expect(parts(element, "output").map((wrapper) => wrapper.dataset.mimeType)).to.deep.equal([
      "text/plain",
      "application/json",
      "text/markdown",
    ]);
  });

  it("shows text/plain in a <pre>, keeping whitespace", async () => {
    const element = await mount([{ mimeType: "text/plain", data: "a  b\n  c" }]);
    const text = part(element, "output-text");
    expect(text.tagName).to.equal("PRE");
    expect(text.textContent).to.equal("a  b\n  c");
  });

  it("draws ANSI colours in text/plain and drops other escape sequences", async () => {
    const element = await mount([
      { mimeType: "text/plain", data: "\u001b[1;31mError\u001b[0m: \u001b[32mok\u001b[0m\u001b[2K done" },
    ]);
    const text = part(element, "output-text");
    expect(text.textContent).to.equal("Error: ok done");
    const red = text.querySelector(".ansi-red");
    expect(red?.textContent).to.equal("Error");
    expect(red?.classList.contains("ansi-bold")).to.equal(true);
    expect(getComputedStyle(red as Element).color).to.equal("rgb(207, 34, 46)");
    expect(text.querySelector(".ansi-green")?.textContent).to.equal("ok");
  });

  it("renders text/markdown as HTML in the shadow DOM; links open in a new tab without opener", async () => {
    const element = await mount([
      {
        mimeType: "text/markdown",
        data: "# Title\n\nSome *emphasis* and [a link](https://example.com/x).\n\n- one\n- two",
      },
    ]);
    const markdown = part(element, "output-markdown");
    expect(markdown.querySelector("h1")?.textContent).to.equal("Title");
    expect(markdown.querySelector("em")?.textContent).to.equal("emphasis");
    expect(markdown.querySelectorAll("li")).to.have.length(2);
    const link = markdown.querySelector("a");
    expect(link?.getAttribute("href")).to.equal("https://example.com/x");
    expect(link?.getAttribute("target")).to.equal("_blank");
    expect(link?.getAttribute("rel")).to.contain("noopener");
    expect(document.querySelector("h1")).to.equal(null);
  });

  it("renders text/html in a sandboxed frame sized to its content", async () => {
    const element = await mount([
      { mimeType: "text/html", data: '<div style="height: 300px; background: teal">tall</div>' },
    ]);
    const iframe = frame(element);
    expect(iframe.getAttribute("sandbox")).to.equal("allow-scripts");
    expect(element.documentOf(iframe)).to.contain("tall");
    expect(iframe.title).to.equal("HTML output");
    expect(await settledFrame(element)).to.equal("rendered");
    await waitUntil(() => frameHeight(element) >= 300, "the frame never grew to its content");
    expect(frameHeight(element)).to.be.below(360);
  });

  it("outputs appended one by one (a running cell's display()) keep the frames already shown", async () => {
    const first = { mimeType: "text/html", data: "<p>first</p>" };
    const element = await mount([first]);
    expect(await settledFrame(element)).to.equal("rendered");
    const shown = frame(element);
    let loads = 0;
    shown.addEventListener("load", () => {
      loads += 1;
    });
    const height = frameHeight(element);
    for (const next of [
      { mimeType: "text/plain", data: "second" },
      { mimeType: "text/html", data: "<p>third</p>" },
    ]) {
      element.outputs = [...element.outputs, next];
      await element.updateComplete;
    }
    expect(parts(element, "output").map((wrapper) => wrapper.dataset.mimeType)).to.deep.equal([
      "text/html",
      "text/plain",
      "text/html",
    ]);
    expect(frame(element, 0)).to.equal(shown, "the first frame is the same element");
    expect(await settledFrame(element, 1)).to.equal("rendered");
    expect(loads, "the first frame did not load again").to.equal(0);
    expect(frameHeight(element, 0)).to.equal(height);
    expect((shown.parentElement as HTMLElement).dataset.state).to.equal("rendered");
  });

  it("renders image/svg+xml in a sandboxed frame, sized to the drawing", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><rect width="200" height="120" fill="#0969da"/></svg>';
    const element = await mount([{ mimeType: "image/svg+xml", data: svg }]);
    expect(frame(element).getAttribute("sandbox")).to.equal("allow-scripts");
    expect(frame(element).title).to.equal("SVG image");
    await settledFrame(element);
    await waitUntil(() => frameHeight(element) >= 120, "the frame never grew to the SVG");
  });

  it("shows image/png as an image with alt text from metadata, or a default", async () => {
    const element = await mount([
      { mimeType: "image/png", data: PNG_2X1, metadata: { alt: "Two pixels" } },
      { mimeType: "image/png", data: PNG_2X1 },
    ]);
    const [described, plain] = parts(element, "output-image") as HTMLImageElement[];
    await described?.decode();
    expect(described?.naturalWidth).to.equal(2);
    expect(described?.naturalHeight).to.equal(1);
    expect(described?.alt).to.equal("Two pixels");
    expect(plain?.alt).to.equal("Image output");
  });

  it("refuses image/png data that is not base64", async () => {
    const element = await mount([{ mimeType: "image/png", data: '"><script>alert(1)</script>' }]);
    expect(parts(element, "output-image")).to.have.length(0);
    expect(part(element, "output").textContent).to.contain("Cannot display");
  });

  it("shows application/json as a collapsible tree that the keyboard can open and close", async () => {
    const element = await mount([
      {
        mimeType: "application/json",
        data: { name: "x", n: 3, ok: true, none: null, list: [1, 2], deep: { a: { b: { c: 1 } } } },
      },
    ]);
    const tree = part(element, "output-json");
    expect(tree.getAttribute("role")).to.equal("group");
    const root = tree.querySelector("details") as HTMLDetailsElement;
    expect(root.open).to.equal(true);
    expect(root.querySelector("summary")?.textContent).to.contain("6 keys");
    expect(tree.querySelector(".json-string")?.textContent).to.equal('"x"');
    expect(tree.querySelector(".json-null")?.textContent).to.equal("null");
    // Nested deeper than two levels starts closed; a summary is focusable and Enter toggles it.
    const closed = Array.from(tree.querySelectorAll("details")).find(
      (details) => !details.open,
    ) as HTMLDetailsElement;
    expect(closed).to.exist;
    const summary = closed.querySelector("summary") as HTMLElement;
    summary.focus();
    expect(element.shadowRoot?.activeElement).to.equal(summary);
    await sendKeys({ press: "Enter" });
    expect(closed.open).to.equal(true);
    await sendKeys({ press: "Space" });
    expect(closed.open).to.equal(false);
  });

  it("accepts application/json given as a JSON string", async () => {
    const element = await mount([{ mimeType: "application/json", data: '[1, "two"]' }]);
    expect(part(element, "output-json").querySelector("summary")?.textContent).to.contain("2 items");
  });

  it("shows a table with column names and types and its row count", async () => {
    const element = await mount([
      {
        mimeType: "application/vnd.reactive-notebook.table+json",
        data: {
          columns: [{ name: "id", type: "int4" }, { name: "name", type: "text" }, { name: "note" }],
          rows: [
            [1, "ada", null],
            [2, "grace", "hi"],
          ],
          rowCount: 2,
          truncated: false,
        },
      },
    ]);
    const table = part(element, "output-table");
    const headers = Array.from(table.querySelectorAll("th"));
    expect(headers.map((th) => th.querySelector(".column-name")?.textContent)).to.deep.equal([
      "id",
      "name",
      "note",
    ]);
    expect(headers.map((th) => th.querySelector(".column-type")?.textContent ?? "")).to.deep.equal([
      "int4",
      "text",
      "",
    ]);
    expect(headers.every((th) => th.getAttribute("scope") === "col")).to.equal(true);
    expect(table.querySelector("caption")?.textContent).to.equal("2 rows");
    const cells = Array.from(table.querySelectorAll("tbody tr:first-child td")).map((td) => td.textContent);
    expect(cells).to.deep.equal(["1", "ada", "null"]);
    expect(table.querySelector("nav")).to.equal(null);
  });

  it("says what it cannot display, naming the type", async () => {
    const element = await mount([{ mimeType: "application/x-unknown", data: "??" }]);
    const note = part(element, "output").querySelector('[role="note"]');
    expect(note?.textContent?.replace(/\s+/g, " ").trim()).to.equal(
      "Cannot display an output of type application/x-unknown.",
    );
  });

  it("re-renders when given new outputs", async () => {
    const element = await mount([{ mimeType: "text/plain", data: "old" }]);
    element.outputs = [{ mimeType: "text/plain", data: "new" }];
    await element.updateComplete;
    expect(part(element, "output-text").textContent).to.equal("new");
  });

  it("paints frames with the theme's colours", async () => {
    const element = await mount([{ mimeType: "text/html", data: "<p>dark</p>" }], "dark");
    const srcdoc = element.documentOf(frame(element)) ?? "";
    expect(srcdoc).to.contain("color-scheme: dark");
    expect(srcdoc).to.contain("#0d1117");
    expect(srcdoc).to.contain("#e6edf3");
  });

  it("resolves setVendorBase against the page and keeps a trailing slash", () => {
    const before = getVendorBase();
    expect(before).to.match(/\/dist\/bundle\/vendor\/$/);
    setVendorBase("/somewhere/vendor");
    expect(getVendorBase()).to.equal(`${location.origin}/somewhere/vendor/`);
    setVendorBase(before);
  });
});

describe("<rn-outputs> theme auto", () => {
  afterEach(() => emulateMedia({ colorScheme: "light" }));

  it("follows the system colour scheme, in its own text and inside frames", async () => {
    await emulateMedia({ colorScheme: "light" });
    const element = await mount(
      [
        { mimeType: "text/html", data: "<p>auto</p>" },
        { mimeType: "text/plain", data: "x" },
      ],
      "auto",
    );
    expect(element.documentOf(frame(element))).to.contain("color-scheme: light");
    await emulateMedia({ colorScheme: "dark" });
    await waitUntil(
      () => (element.documentOf(frame(element)) ?? "").includes("color-scheme: dark"),
      "frames kept the light scheme",
    );
    expect(getComputedStyle(part(element, "output-text")).color).to.equal("rgb(230, 237, 243)");
  });
});
