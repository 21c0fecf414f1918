// The host page's dashboard: with ?dashboard=<notebook id> the page shows that notebook as a dashboard
// (<reactive-notebook view="app">) instead of the full notebook element; without it, the dashboard goes.
const notebookId = new URLSearchParams(location.search).get("dashboard");
const dashboard = document.querySelector("section.dashboard");
if (notebookId) {
  document.querySelector("section.editor")?.remove();
  dashboard?.querySelector("reactive-notebook")?.setAttribute("notebook-id", notebookId);
  dashboard?.removeAttribute("hidden");
} else {
  dashboard?.remove();
}
