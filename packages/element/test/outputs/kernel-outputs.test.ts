/** The outputs the real kernel produces for the documented examples render as the docs promise. */
import { expect } from "@open-wc/testing";
import type { Output } from "@reactive-notebook/protocol";
import { setVendorBase } from "../../src/outputs/index.js";
import { frameHeight, mount, part, parts, settledFrame, VENDOR_URL } from "./helpers.js";
import { kernelOutputs } from "./kernel-outputs.fixture.js";

setVendorBase(VENDOR_URL);

function only(name: string): Output[] {
  const outputs = kernelOutputs[name];
  if (!outputs) throw new Error(`no captured outputs for ${name}`);
  return outputs;
}

interface SuiteContext {
  timeout(ms: number): void;
}

describe("<rn-outputs> with the kernel's outputs for the documented examples", function (this: SuiteContext) {
  this.timeout(60_000);

  it("draws the SVG bar chart in a frame as tall as the drawing", async () => {
    const element = await mount(only("svg"));
    expect(await settledFrame(element)).to.equal("rendered");
    expect(frameHeight(element)).to.be.at.least(84);
  });

  it("shows the HTML table in a frame", async () => {
    const element = await mount(only("htmltable"));
    expect(await settledFrame(element)).to.equal("rendered");
    expect(frameHeight(element)).to.be.at.least(60);
  });

  it("shows the JSON value as a tree", async () => {
    const element = await mount(only("jsonvalue"));
    expect(part(element, "output-json").querySelector("summary")?.textContent).to.contain("5 keys");
  });

  it("shows display()'s three Markdown outputs, then the trailing expression", async () => {
    const element = await mount(only("display"));
    expect(parts(element, "output-markdown").map((markdown) => markdown.textContent?.trim())).to.deep.equal([
      "1 squared is 1",
      "2 squared is 4",
      "3 squared is 9",
    ]);
    expect(part(element, "output-text").textContent).to.equal("3.141592653589793");
  });

  it("shows the generated PNG with its alt text and size", async () => {
    const element = await mount(only("png"));
    const image = part(element, "output-image") as HTMLImageElement;
    await image.decode();
    expect(image.naturalWidth).to.equal(160);
    expect(image.alt).to.equal("A gradient from blue to red");
  });

  it("pages the 120-row table", async () => {
    const element = await mount(only("table"));
    const table = part(element, "output-table");
    expect(table.querySelector("caption")?.textContent).to.equal("120 rows");
    expect(table.querySelectorAll("tbody tr")).to.have.length(25);
    expect(table.querySelector('button[aria-label="Next page"]')).to.exist;
  });

  it("draws the Vega-Lite spec", async () => {
    const element = await mount(only("vegalite"));
    expect(await settledFrame(element, 0, 50_000)).to.equal("rendered");
  });

  for (const theme of ["light", "dark"] as const) {
    it(`passes an axe audit with all of them in the ${theme} theme`, async () => {
      const element = await mount(Object.values(kernelOutputs).flat(), theme);
      expect(element.shadowRoot?.querySelector(".unsupported")).to.equal(null);
      document.body.style.background = theme === "dark" ? "#0d1117" : "#ffffff";
      try {
        await expect(element).to.be.accessible();
      } finally {
        document.body.style.background = "";
      }
    });
  }
});
