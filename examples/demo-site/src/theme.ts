/** The site's light/dark theme: the user's last choice (localStorage), else the system's preference. */

export type SiteTheme = "light" | "dark";

const STORAGE_KEY = "reactive-notebook-demo:theme";

/** The theme to start with: a saved choice wins over `prefers-color-scheme`. */
export function initialTheme(): SiteTheme {
  const saved = readStorage(STORAGE_KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Applies `theme` to the page (`<html data-theme>`, read by styles.css) and remembers it. */
export function applyTheme(theme: SiteTheme, remember: boolean): void {
  document.documentElement.dataset.theme = theme;
  if (remember) writeStorage(STORAGE_KEY, theme);
}

/** localStorage that never throws (private modes and sandboxed frames refuse it). */
export function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Nothing to do: the choice lasts for this page only.
  }
}
