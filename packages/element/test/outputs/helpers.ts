/** Shared fixtures for the `<rn-outputs>` tests: mounting outputs and reading parts and frame states. */
import { fixture, html, waitUntil } from "@open-wc/testing";
import type { Output } from "@reactive-notebook/protocol";
import { defineOutputs, type OutputsTheme, type RnOutputsElement } from "../../src/outputs/index.js";

defineOutputs();

/** A 2×1 PNG: one red and one blue pixel. */
export const PNG_2X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==";

/** The vendor folder as the wtr dev server serves it (its root is the repository). */
export const VENDOR_URL = new URL("/packages/element/dist/bundle/vendor/", location.origin).href;

export async function mount(outputs: Output[], theme: OutputsTheme = "light"): Promise<RnOutputsElement> {
  return fixture<RnOutputsElement>(html`<rn-outputs .outputs=${outputs} theme=${theme}></rn-outputs>`);
}

export function parts(element: RnOutputsElement, name: string): HTMLElement[] {
  return Array.from(element.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? []);
}

export function part(element: RnOutputsElement, name: string, index = 0): HTMLElement {
  const found = parts(element, name)[index];
  if (!found) throw new Error(`no part="${name}" #${index} in the shadow root`);
  return found;
}

export function frame(element: RnOutputsElement, index = 0): HTMLIFrameElement {
  return part(element, "output-frame", index) as HTMLIFrameElement;
}

/** Waits until the frame's document has reported (its box leaves `loading`); returns the box's state. */
export async function settledFrame(element: RnOutputsElement, index = 0, timeout = 8000): Promise<string> {
  const box = () => frame(element, index).parentElement as HTMLElement;
  await waitUntil(() => box().dataset.state !== "loading", "the frame never reported", { timeout });
  return box().dataset.state ?? "";
}

/** The frame's height in CSS pixels, as the element set it. */
export function frameHeight(element: RnOutputsElement, index = 0): number {
  return Number.parseFloat(frame(element, index).style.height);
}
