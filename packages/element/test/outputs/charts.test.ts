/** Vega-Lite and Plotly outputs: drawn inside sandboxed frames from the vendor folder, loaded only when shown. */
import { expect, fixture, html } from "@open-wc/testing";
import { type RnOutputsElement, setVendorBase } from "../../src/outputs/index.js";
import { frame, mount, settledFrame, VENDOR_URL } from "./helpers.js";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const PLOTLY = "application/vnd.plotly.v1+json";

const barChart = {
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title: "Fruit",
  data: {
    values: [
      { fruit: "apple", count: 3 },
      { fruit: "pear", count: 5 },
      { fruit: "fig", count: 2 },
    ],
  },
  mark: "bar",
  encoding: { x: { field: "fruit", type: "nominal" }, y: { field: "count", type: "quantitative" } },
};

const lineFigure = {
  data: [{ type: "scatter", mode: "lines", x: [1, 2, 3, 4], y: [10, 15, 13, 17] }],
  layout: { title: { text: "Line" }, width: 480, height: 320 },
};

/** The vendor scripts a frame document loads, in order. */
function vendorScripts(srcdoc: string): string[] {
  return Array.from(srcdoc.matchAll(/<script src="([^"]+)"/g), (match) => match[1] ?? "");
}

setVendorBase(VENDOR_URL);

/** Mocha's suite context (the repository's Mocha typings declare only the globals). */
interface SuiteContext {
  timeout(ms: number): void;
}

/** Loading and parsing plotly.min.js (4.6 MB) takes seconds on a busy machine; charts get a minute. */
const CHART_TIMEOUT = 60_000;

describe("<rn-outputs> charts", function (this: SuiteContext) {
  this.timeout(CHART_TIMEOUT);

  it("draws a Vega-Lite chart with vega-embed inside a sandboxed frame", async () => {
    const element = await mount([{ mimeType: VEGA_LITE, data: barChart }]);
    const iframe = frame(element);
    expect(iframe.getAttribute("sandbox")).to.equal("allow-scripts");
    expect(iframe.title).to.equal("Fruit");
    expect(vendorScripts(element.documentOf(iframe) ?? "")).to.deep.equal([
      `${VENDOR_URL}vega.min.js`,
      `${VENDOR_URL}vega-lite.min.js`,
      `${VENDOR_URL}vega-embed.min.js`,
    ]);
    expect(await settledFrame(element, 0, CHART_TIMEOUT - 5000)).to.equal("rendered");
    expect(Number(iframe.parentElement?.dataset.marks)).to.be.greaterThan(3);
  });

  it("draws a Plotly figure inside a sandboxed frame", async () => {
    const element = await mount([{ mimeType: PLOTLY, data: lineFigure }], "dark");
    const iframe = frame(element);
    expect(iframe.getAttribute("sandbox")).to.equal("allow-scripts");
    expect(vendorScripts(element.documentOf(iframe) ?? "")).to.deep.equal([`${VENDOR_URL}plotly.min.js`]);
    expect(await settledFrame(element, 0, CHART_TIMEOUT - 5000)).to.equal("rendered");
    expect(Number(iframe.parentElement?.dataset.marks)).to.be.greaterThan(0);
  });

  it("loads no chart library until a chart output appears, and never into the host page", async () => {
    const element = await mount([{ mimeType: "text/plain", data: "no charts yet" }]);
    const vendorLoaded = () =>
      performance.getEntriesByType("resource").some((entry) => /vega|plotly/.test(entry.name));
    expect(element.shadowRoot?.querySelector("iframe")).to.equal(null);
    expect(vendorLoaded()).to.equal(false);
    element.outputs = [{ mimeType: VEGA_LITE, data: barChart }];
    await element.updateComplete;
    expect(await settledFrame(element, 0, CHART_TIMEOUT - 5000)).to.equal("rendered");
    expect(vendorLoaded()).to.equal(false);
    expect(Object.keys(window).some((key) => /^(vega|vl|vegaEmbed|Plotly)$/.test(key))).to.equal(false);
  });

  it("shows an error when the vendor scripts cannot be loaded", async () => {
    // The frame page's source folder: frame.html is there, the chart libraries are not.
    const element = await fixture<RnOutputsElement>(
      html`<rn-outputs vendor-url="/packages/element/static/" .outputs=${[{ mimeType: PLOTLY, data: lineFigure }]}></rn-outputs>`,
    );
    expect(await settledFrame(element, 0, CHART_TIMEOUT - 5000)).to.equal("error");
    const alert = element.shadowRoot?.querySelector('[role="alert"]');
    expect(alert?.textContent).to.contain("Could not draw this chart");
    expect(alert?.textContent).to.match(/plotly/);
  });

  it("shows an error when the frame page itself cannot be loaded", async () => {
    const element = await fixture<RnOutputsElement>(
      html`<rn-outputs vendor-url="/no/such/vendor/" .outputs=${[{ mimeType: PLOTLY, data: lineFigure }]}></rn-outputs>`,
    );
    expect(await settledFrame(element, 0, CHART_TIMEOUT - 5000)).to.equal("error");
    const alert = element.shadowRoot?.querySelector('[role="alert"]');
    expect(alert?.textContent).to.contain("frame page did not load from");
    expect(alert?.textContent).to.contain("/no/such/vendor/frame.html");
  });
});
