/** `<rn-outputs>` against hostile outputs: HTML that attacks its host, forged frame messages, script-laden Markdown. */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { frame, frameHeight, mount, part, settledFrame } from "./helpers.js";

/** The host's secrets an output must never read or change. */
const SENTINEL = { global: "host-secret", cookie: "rn_sentinel=host-secret", text: "untouched" };

/** A script that tries everything it should not be able to do, then posts what happened. */
const ATTACK = `<p>attack</p>
<script>
  var report = {};
  function attempt(name, fn) {
    try { report[name] = "succeeded: " + String(fn()); } catch (error) { report[name] = "blocked: " + error.name; }
  }
  attempt("readParentDocument", function () { return parent.document.getElementById("rn-sentinel").textContent; });
  attempt("writeParentDocument", function () { parent.document.getElementById("rn-sentinel").textContent = "pwned"; return "written"; });
  attempt("readTopHref", function () { return top.location.href; });
  attempt("readParentGlobal", function () { return parent.rnSentinel; });
  attempt("writeParentGlobal", function () { parent.rnSentinel = "pwned"; return parent.rnSentinel; });
  attempt("readCookie", function () { return document.cookie; });
  attempt("writeCookie", function () { document.cookie = "rn_sentinel=pwned; path=/"; return document.cookie; });
  attempt("readLocalStorage", function () { return localStorage.length; });
  attempt("navigateTop", function () { top.location.href = "about:blank#pwned"; return "asked"; });
  // A forged height, with the document id a script in the frame can read: the parent must clamp it.
  parent.postMessage({ type: "rn-output-height", doc: RN_DOC, height: 999999 }, "*");
  fetch(${JSON.stringify(`${location.origin}/packages/element/package.json`)})
    .then(function (r) { return "succeeded: " + r.status; }, function (e) { return "blocked: " + e.name; })
    .then(function (fetched) { report.fetchHost = fetched; parent.postMessage({ type: "attack-report", report: report }, "*"); });
</script>`;

function installSentinels(): HTMLElement {
  (window as unknown as { rnSentinel: string }).rnSentinel = SENTINEL.global;
  // biome-ignore lint/suspicious/noDocumentCookie: a plain cookie is exactly what the attack must not read.
  document.cookie = `${SENTINEL.cookie}; path=/`;
  const node = document.createElement("div");
  node.id = "rn-sentinel";
  node.textContent = SENTINEL.text;
  document.body.append(node);
  return node;
}

describe("<rn-outputs> security", () => {
  it("keeps an HTML output's script away from the host page's DOM, globals, cookies and top window", async () => {
    const sentinel = installSentinels();
    const hrefBefore = location.href;
    let report: Record<string, string> | undefined;
    let element: Awaited<ReturnType<typeof mount>> | undefined;
    const listen = (event: MessageEvent) => {
      if (element && event.source === frame(element).contentWindow && event.data?.type === "attack-report") {
        report = event.data.report;
      }
    };
    window.addEventListener("message", listen);
    const heights: number[] = [];
    try {
      element = await mount([{ mimeType: "text/html", data: ATTACK }]);
      const iframe = frame(element);
      new MutationObserver(() => heights.push(Number.parseFloat(iframe.style.height))).observe(iframe, {
        attributeFilter: ["style"],
      });
      await waitUntil(() => report !== undefined, "the attack script never reported (did it run?)", {
        timeout: 8000,
      });
    } finally {
      window.removeEventListener("message", listen);
    }
    // The script ran, and every attempt failed.
    expect(Object.keys(report ?? {})).to.have.length(10);
    for (const [attempt, outcome] of Object.entries(report ?? {})) {
      expect(outcome, attempt).to.match(/^blocked: /);
    }
    // The host is untouched.
    expect((window as unknown as { rnSentinel: string }).rnSentinel).to.equal(SENTINEL.global);
    expect(document.cookie).to.contain(SENTINEL.cookie);
    expect(document.cookie).not.to.contain("pwned");
    expect(sentinel.textContent).to.equal(SENTINEL.text);
    expect(location.href).to.equal(hrefBefore);
    // The forged height was taken (the frame is the output's own) but clamped to the maximum.
    await element?.updateComplete;
    expect(heights).to.include(2000);
    expect(Math.max(...heights, frameHeight(element as NonNullable<typeof element>))).to.equal(2000);
    // And the frame is sandboxed as promised.
    const iframe = frame(element as NonNullable<typeof element>);
    expect(iframe.getAttribute("sandbox")).to.equal("allow-scripts");
    expect(iframe.sandbox.contains("allow-same-origin")).to.equal(false);
    sentinel.remove();
  });

  it("ignores height messages that do not come from its own frame", async () => {
    const element = await mount([{ mimeType: "text/html", data: "<p>short</p>" }]);
    await settledFrame(element);
    await element.updateComplete;
    const height = frameHeight(element);
    expect(height).to.be.below(100);
    // From the host page itself.
    window.postMessage({ type: "rn-output-height", height: 1500 }, "*");
    // From another sandboxed frame on the page.
    const strangerDone = new Promise<void>((resolve) => {
      const done = (event: MessageEvent) => {
        if (event.data?.type === "stranger-done") {
          window.removeEventListener("message", done);
          resolve();
        }
      };
      window.addEventListener("message", done);
    });
    await fixture<HTMLIFrameElement>(
      html`<iframe
        sandbox="allow-scripts"
        srcdoc="<script>parent.postMessage({ type: 'rn-output-height', height: 1234 }, '*'); parent.postMessage({ type: 'stranger-done' }, '*');</script>"
      ></iframe>`,
    );
    await strangerDone;
    await element.updateComplete;
    expect(frameHeight(element)).to.equal(height);
  });

  it("ignores malformed messages from its own frame", async () => {
    const element = await mount([
      {
        mimeType: "text/html",
        data: `<p>x</p><script>
          parent.postMessage({ type: "rn-output-height", height: "900" }, "*");
          parent.postMessage({ type: "rn-output-height", height: Infinity }, "*");
          parent.postMessage("rn-output-height:900", "*");
        </script>`,
      },
    ]);
    await settledFrame(element);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(frameHeight(element)).to.be.below(100);
  });

  it("sanitizes Markdown: no script elements, no event handlers, no javascript: links", async () => {
    (window as unknown as { rnMarkdownRan?: boolean }).rnMarkdownRan = false;
    const element = await mount([
      {
        mimeType: "text/markdown",
        data: [
          "# Hello",
          "<script>window.rnMarkdownRan = true</script>",
          '<img src="data:image/png;base64,AAAA" onerror="window.rnMarkdownRan = true">',
          '<a href="javascript:window.rnMarkdownRan = true">click</a>',
          "[md link](javascript:window.rnMarkdownRan=true)",
          '<iframe src="about:blank"></iframe><form><input></form>',
        ].join("\n\n"),
      },
    ]);
    const markdown = part(element, "output-markdown");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(markdown.querySelector("h1")?.textContent).to.equal("Hello");
    expect(markdown.querySelector("script, iframe, form, input")).to.equal(null);
    expect(markdown.querySelector("[onerror]")).to.equal(null);
    for (const link of Array.from(markdown.querySelectorAll("a"))) {
      expect(link.getAttribute("href") ?? "").not.to.match(/^javascript:/i);
    }
    expect((window as unknown as { rnMarkdownRan?: boolean }).rnMarkdownRan).to.equal(false);
  });

  it("puts a network-blocking Content-Security-Policy first in every frame document", async () => {
    const element = await mount([{ mimeType: "text/html", data: "<p>x</p>" }]);
    const srcdoc = element.documentOf(frame(element)) ?? "";
    const meta = srcdoc.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).to.be.greaterThan(-1);
    expect(meta).to.be.below(srcdoc.indexOf("<body>"));
    expect(srcdoc).to.contain("default-src 'none'");
    expect(srcdoc).to.contain("connect-src 'none'");
  });
  it("the frame page runs posted markup only inside a sandbox", async () => {
    (window as unknown as { rnFramePwned?: boolean }).rnFramePwned = false;
    // Framed without a sandbox, the page has this origin: it must refuse, not write what it is sent.
    const unsandboxed = await fixture<HTMLIFrameElement>(
      html`<iframe src="/packages/element/dist/bundle/vendor/frame.html"></iframe>`,
    );
    await waitUntil(
      () => unsandboxed.contentDocument?.readyState === "complete",
      "the frame page never loaded",
    );
    unsandboxed.contentWindow?.postMessage(
      { type: "rn-output-render", html: "<script>parent.rnFramePwned = true</script><p id=pwned>pwned</p>" },
      "*",
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((window as unknown as { rnFramePwned?: boolean }).rnFramePwned).to.equal(false);
    expect(unsandboxed.contentDocument?.getElementById("pwned")).to.equal(null);
    expect(unsandboxed.contentDocument?.documentElement.textContent).to.contain("inside a sandboxed frame");
  });

  it("sends each frame its document once: a frame that navigates is sent nothing more", async () => {
    const element = await mount([
      {
        mimeType: "text/html",
        data: `<p>first</p><script>
          addEventListener("message", function (event) {
            if (event.data && event.data.type === "rn-output-render") parent.postMessage({ type: "leaked", doc: RN_DOC }, "*");
          });
          parent.postMessage({ type: "rn-output-ready" }, "*");
          setTimeout(function () { parent.postMessage({ type: "probe-done" }, "*"); }, 300);
        </script>`,
      },
    ]);
    const messages: string[] = [];
    const listen = (event: MessageEvent) => messages.push(String(event.data?.type));
    window.addEventListener("message", listen);
    await settledFrame(element);
    await waitUntil(() => messages.includes("probe-done"), "the probe never finished");
    window.removeEventListener("message", listen);
    expect(messages).not.to.include("leaked");
  });
});
