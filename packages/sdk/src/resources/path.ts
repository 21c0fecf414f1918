/** Builds API paths with every caller-supplied segment percent-encoded. */

/** The prefix of every authenticated route (API.md); kept here so the bundle imports no protocol runtime. */
const API_PREFIX = "/api/v1";

/** `/api/v1` followed by the given segments, each encoded (`api("notebooks", id)` → `/api/v1/notebooks/<id>`). */
export function api(...segments: string[]): string {
  return `${API_PREFIX}/${segments.map(encodeURIComponent).join("/")}`;
}
