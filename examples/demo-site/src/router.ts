/** The site's URLs: `/` (landing page or the user's notebooks) and `/n/:id` (one notebook), with History API navigation. */

export type Route =
  | { page: "home" }
  | { page: "notebook"; notebookId: string }
  | { page: "not-found"; path: string };

/** The route a path names. */
export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { page: "home" };
  const match = /^\/n\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1]) {
    try {
      return { page: "notebook", notebookId: decodeURIComponent(match[1]) };
    } catch {
      // A malformed escape (%zz) names no notebook.
    }
  }
  return { page: "not-found", path: pathname };
}

/** The URL path of a notebook. */
export function notebookPath(notebookId: string): string {
  return `/n/${encodeURIComponent(notebookId)}`;
}

/**
 * Keeps the route in step with the address bar: `navigate()` pushes a history entry, and the browser's
 * back/forward buttons (popstate) call `onChange` with the route they land on.
 */
export class Router {
  private readonly onPopState = () => this.onChange(this.current());

  constructor(private readonly onChange: (route: Route) => void) {}

  current(): Route {
    return parseRoute(location.pathname);
  }

  start(): void {
    addEventListener("popstate", this.onPopState);
  }

  stop(): void {
    removeEventListener("popstate", this.onPopState);
  }

  navigate(path: string, { replace = false } = {}): void {
    if (path !== location.pathname) {
      if (replace) history.replaceState(null, "", path);
      else history.pushState(null, "", path);
    }
    this.onChange(this.current());
  }
}

/**
 * A click handler for in-site links: a plain left click navigates without reloading (the link bubbles a
 * `site-navigate` event to the app); modified clicks (new tab, new window) keep the browser's behaviour.
 */
export function followLink(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const anchor = event.currentTarget as HTMLAnchorElement;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  anchor.dispatchEvent(
    new CustomEvent("site-navigate", { detail: { path: url.pathname }, bubbles: true, composed: true }),
  );
}
