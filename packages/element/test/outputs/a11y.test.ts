/** An axe audit of every output kind (every control kind too), in the light and the dark theme. */
import { expect } from "@open-wc/testing";
import type { Output } from "@reactive-notebook/protocol";
import { mount, PNG_2X1, settledFrame } from "./helpers.js";

const everyKind: Output[] = [
  {
    mimeType: "text/plain",
    data: "plain \u001b[31mred\u001b[0m \u001b[32mgreen\u001b[0m \u001b[33myellow\u001b[0m \u001b[34mblue\u001b[0m \u001b[35mmagenta\u001b[0m \u001b[36mcyan\u001b[0m \u001b[37mwhite\u001b[0m \u001b[30mblack\u001b[0m \u001b[41mon red\u001b[0m",
  },
  {
    mimeType: "text/markdown",
    data: "## Heading\n\nText with a [link](https://example.com) and `code`.\n\n> quoted",
  },
  { mimeType: "text/html", data: "<p>Hello from HTML</p>" },
  { mimeType: "image/png", data: PNG_2X1, metadata: { alt: "Two coloured pixels" } },
  { mimeType: "application/json", data: { name: "x", values: [1, 2, 3], ok: true, missing: null } },
  {
    mimeType: "application/vnd.reactive-notebook.table+json",
    data: {
      columns: [
        { name: "n", type: "int8" },
        { name: "label", type: "text" },
      ],
      rows: Array.from({ length: 30 }, (_, i) => [i, i % 2 ? null : `row ${i}`]),
      rowCount: 5000,
      truncated: true,
    },
  },
  ...(
    [
      ["slider", "Count", 3, { start: 1, stop: 10, step: 1 }],
      ["number", "Rate", 2, { start: null, stop: null, step: 1 }],
      ["text", "Name", "Ada", { placeholder: "who?" }],
      ["textarea", "", "notes", { placeholder: "" }],
      ["dropdown", "City", "Oslo", { options: ["Lima", "Oslo"] }],
      ["checkbox", "Only open", true, {}],
      ["radio", "Size", "M", { options: ["S", "M", "L"] }],
      ["button", "Refresh", 0, {}],
    ] as const
  ).map(([kind, label, value, props], index) => ({
    mimeType: "application/vnd.reactive-notebook.control+json",
    data: { id: String(index), kind, label, value, props },
  })),
  { mimeType: "application/x-unknown", data: "?" },
];

describe("<rn-outputs> accessibility", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`passes an axe audit in the ${theme} theme`, async () => {
      const element = await mount(everyKind, theme);
      await settledFrame(element);
      document.body.style.background = theme === "dark" ? "#0d1117" : "#ffffff";
      try {
        await expect(element).to.be.accessible();
      } finally {
        document.body.style.background = "";
      }
    });
  }
});
