/** Markdown to safe HTML: `marked` renders, a private DOMPurify instance sanitizes, links open in a new tab. */
import DOMPurify from "dompurify";
import { Marked } from "marked";

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Our own instance, so the hook below never changes sanitizing elsewhere on the host page. */
const purifier = DOMPurify(window);
purifier.addHook("afterSanitizeAttributes", (node) => {
  if (node instanceof HTMLAnchorElement && node.hasAttribute("href")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/** Recent results: an element re-renders (a frame reports its height) far more often than its Markdown changes. */
const cache = new Map<string, string>();
const CACHE_SIZE = 64;

/** Renders Markdown and sanitizes the result: no scripts, no event handlers, no `javascript:` URLs, no forms. */
export function renderMarkdown(source: string): string {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const result = sanitize(marked.parse(source, { async: false }));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(source, result);
  return result;
}

function sanitize(html: string): string {
  return purifier.sanitize(html, {
    USE_PROFILES: { html: true, svg: false, mathMl: false },
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select"],
    FORBID_ATTR: ["style"],
  });
}
