/**
 * The output frames controller: the life of an element's sandboxed output frames. Each frame loads the
 * frame page, says it is ready, is sent its one document by `postMessage`, then reports its height and
 * (charts) whether it drew. The controller renders the frames, answers and checks their messages, sizes
 * them, and gives each a deadline to load; the element only decides which outputs need a frame.
 */
import { html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { styleMap } from "lit/directives/style-map.js";
import type { ChartKind, FrameDocument, FrameMessage } from "./frame.js";

/** What a frame shows: an HTML/SVG document, or a chart drawn by a vendor library. */
export type FrameKind = "content" | ChartKind;

/** A frame's height before its document reports one. */
const INITIAL_FRAME_HEIGHT: Record<FrameKind, number> = {
  content: 40,
  "vega-lite": 320,
  plotly: 450,
};
const MIN_FRAME_HEIGHT = 16;
/** How long a frame may take to load the frame page before the output shows an error. */
const FRAME_LOAD_TIMEOUT_MS = 15_000;
/** After the frame's `load` event, how long its page has to say it is ready (it says so while parsing). */
const FRAME_READY_GRACE_MS = 1_000;

/** What the element knows about one frame document, keyed by its `FrameDocument.id`. */
interface FrameState {
  height: number;
  state: "loading" | "rendered" | "error";
  message?: string;
  marks?: number;
}

export class OutputFramesController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #maxHeight: () => number;
  readonly #states = new Map<string, FrameState>();
  /** The document each shown frame is sent once its frame page says it is ready, by `FrameDocument.id`. */
  readonly #sources = new Map<string, string>();
  /** Frames already sent their document: a frame page that loads again (it navigated) gets nothing more. */
  readonly #served = new WeakSet<Window>();
  /** Documents whose frame page said it was ready. */
  readonly #ready = new Set<string>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `maxHeight`: the tallest a frame grows to; taller documents scroll inside it. */
  constructor(host: ReactiveElement, maxHeight: () => number) {
    this.#host = host;
    this.#maxHeight = maxHeight;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener("message", this.#onMessage);
  }

  hostDisconnected(): void {
    window.removeEventListener("message", this.#onMessage);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** After each render: forget documents no longer shown; give the new ones a deadline to load. */
  hostUpdated(): void {
    const frames = this.#frames();
    const shown = new Set(frames.map((frame) => frame.dataset.doc ?? ""));
    for (const key of this.#states.keys()) if (!shown.has(key)) this.#states.delete(key);
    for (const key of this.#sources.keys()) if (!shown.has(key)) this.#sources.delete(key);
    for (const key of this.#ready) if (!shown.has(key)) this.#ready.delete(key);
    for (const [key, timer] of this.#timers) {
      if (shown.has(key)) continue;
      clearTimeout(timer);
      this.#timers.delete(key);
    }
    for (const frame of frames) {
      const key = frame.dataset.doc ?? "";
      if (this.#timers.has(key) || this.#states.get(key)?.state !== "loading") continue;
      this.#timers.set(
        key,
        setTimeout(() => this.#didNotLoad(key, frame.src), FRAME_LOAD_TIMEOUT_MS),
      );
    }
  }

  /** The document a frame shows (or is about to). */
  documentOf(frame: HTMLIFrameElement): string | undefined {
    return this.#sources.get(frame.dataset.doc ?? "");
  }

  /** A frame for `frameDocument`, loading the frame page at `src`; a new document gets a new frame. */
  render(frameDocument: FrameDocument, kind: FrameKind, title: string, src: string): TemplateResult {
    let state = this.#states.get(frameDocument.id);
    if (!state) {
      state = { height: INITIAL_FRAME_HEIGHT[kind], state: "loading" };
      this.#states.set(frameDocument.id, state);
    }
    this.#sources.set(frameDocument.id, frameDocument.srcdoc);
    // Keyed by the document: a frame page is sent exactly one document.
    return html`<div class="frame-box" data-state=${state.state} data-marks=${state.marks ?? nothing}>
      ${keyed(
        frameDocument.id,
        html`<iframe
          part="output-frame"
          sandbox="allow-scripts"
          referrerpolicy="no-referrer"
          title=${title}
          data-kind=${kind}
          data-doc=${frameDocument.id}
          style=${styleMap({ height: `${state.height}px` })}
          src=${src}
          @load=${this.#onLoad}
        ></iframe>`,
      )}
      ${
        state.state === "error"
          ? html`<p class="frame-error" role="alert">Could not draw this ${kind === "content" ? "output" : "chart"}: ${state.message}</p>`
          : nothing
      }
    </div>`;
  }

  #frames(): HTMLIFrameElement[] {
    return Array.from(
      this.#host.renderRoot.querySelectorAll<HTMLIFrameElement>("iframe[part~='output-frame']"),
    );
  }

  #didNotLoad(key: string, src: string): void {
    const current = this.#states.get(key);
    if (current?.state !== "loading" || !this.#sources.has(key) || this.#ready.has(key)) return;
    this.#states.set(key, {
      ...current,
      state: "error",
      message: `its frame page did not load from ${src} (see setVendorBase)`,
    });
    this.#host.requestUpdate();
  }

  /**
   * Accepts a message only from one of this element's own frames (`event.source` is its `contentWindow`,
   * and its origin is opaque), with a known shape, from the document the frame shows now (`doc`); clamps
   * heights. Anything else is ignored.
   */
  readonly #onMessage = (event: MessageEvent): void => {
    if (event.source === null || event.origin !== "null") return;
    const frame = this.#frames().find((candidate) => candidate.contentWindow === event.source);
    if (!frame) return;
    const source = event.source as Window;
    if (isReady(event.data)) {
      const key = frame.dataset.doc ?? "";
      const document = this.#sources.get(key);
      if (document === undefined || this.#served.has(source)) return;
      this.#served.add(source);
      this.#ready.add(key);
      // The frame's origin is opaque, so "*" is the only target origin that reaches it; it is this
      // element's own frame (checked above) and is sent only the document it was created for.
      source.postMessage({ type: "rn-output-render", html: document }, "*");
      return;
    }
    const message = frameMessage(event.data);
    if (!message || message.doc !== frame.dataset.doc) return;
    const key = message.doc;
    const kind = (frame.dataset.kind ?? "content") as FrameKind;
    const current = this.#states.get(key) ?? { height: INITIAL_FRAME_HEIGHT[kind], state: "loading" };
    if (message.type === "rn-output-height") {
      const height = Math.min(Math.max(Math.ceil(message.height), MIN_FRAME_HEIGHT), this.#maxHeight());
      this.#states.set(key, {
        ...current,
        height,
        state: current.state === "loading" && kind === "content" ? "rendered" : current.state,
      });
    } else {
      this.#states.set(key, {
        ...current,
        state: message.state,
        message: message.message,
        marks: message.marks,
      });
    }
    this.#host.requestUpdate();
  };

  /** A frame whose page loaded but never said it was ready is not showing the frame page (a 404, say). */
  readonly #onLoad = (event: Event): void => {
    const frame = event.target as HTMLIFrameElement;
    const key = frame.dataset.doc ?? "";
    setTimeout(() => this.#didNotLoad(key, frame.src), FRAME_READY_GRACE_MS);
  };
}

/** The frame page's first message: it is listening for its document. */
function isReady(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "rn-output-ready";
}

function frameMessage(data: unknown): FrameMessage | undefined {
  if (data === null || typeof data !== "object") return undefined;
  const message = data as Record<string, unknown>;
  if (typeof message.doc !== "string") return undefined;
  if (message.type === "rn-output-height") {
    return typeof message.height === "number" && Number.isFinite(message.height)
      ? { type: "rn-output-height", doc: message.doc, height: message.height }
      : undefined;
  }
  if (message.type === "rn-output-status" && (message.state === "rendered" || message.state === "error")) {
    return {
      type: "rn-output-status",
      doc: message.doc,
      state: message.state,
      message: typeof message.message === "string" ? message.message.slice(0, 500) : undefined,
      marks: typeof message.marks === "number" ? message.marks : undefined,
    };
  }
  return undefined;
}
