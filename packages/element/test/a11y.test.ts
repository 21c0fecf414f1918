/** Accessibility audits (axe) of `<reactive-notebook>` in both themes: sign-in, the list, and a notebook that ran. */
import { expect, fixture, html } from "@open-wc/testing";
import type { ReactiveNotebookElement } from "../src/index.js";
import {
  button,
  createNotebook,
  listOf,
  notebookElement,
  outputText,
  rememberDevUser,
  serviceUrl,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

for (const theme of ["light", "dark"] as const) {
  describe(`<reactive-notebook> accessibility, ${theme} theme`, () => {
    afterEach(() => rememberDevUser(null));

    it("the sign-in form passes axe", async () => {
      await rememberDevUser(null);
      const element = await fixture<ReactiveNotebookElement>(
        html`<reactive-notebook api-url=${await serviceUrl()} theme=${theme}></reactive-notebook>`,
      );
      await waitFor(() => element.shadowRoot?.querySelector('[part~="sign-in"] form'), "the sign-in form");
      await expect(element).to.be.accessible();
    });

    it("the notebook list passes axe", async () => {
      const user = uniqueUser();
      await createNotebook(user, [], "An accessible notebook");
      const element = await notebookElement(user, "", theme);
      const list = await waitFor(() => listOf(element), "the list");
      await waitFor(() => list.shadowRoot?.querySelector('[part~="notebook-list-item"]'), "an item");
      await expect(element).to.be.accessible();
    });

    it("a notebook with code, outputs, controls, an error, markdown and SQL passes axe, in both views", async () => {
      const user = uniqueUser();
      const { notebook } = await createNotebook(user, [
        { type: "markdown", code: "# Title\n\nSome *text*." },
        { type: "python", code: 'n = 3\nprint("hello")\nn' },
        { type: "python", code: "m = n / 0" },
        { type: "sql", code: "select 1 as one", name: "result" },
        {
          type: "python",
          code:
            'import rn\nsize = rn.ui.slider(1, 10, label="Size")\ncity = rn.ui.dropdown(["Lima", "Oslo"], label="City")\n' +
            'ok = rn.ui.checkbox(label="Only open")\ndisplay(size, city, ok)',
        },
      ]);
      const element = await notebookElement(user, notebook.id, theme);
      const [, n, m, , controls] = await waitForCells(element, 5);
      button(viewOf(element)?.shadowRoot, "Run all").click();
      await waitFor(() => outputText(n!) === "3", "n ran", 90_000);
      await waitFor(() => m!.shadowRoot?.querySelector('[part~="cell-error"]'), "m's error", 60_000);
      await waitFor(
        () =>
          controls!.shadowRoot?.querySelector("rn-outputs")?.shadowRoot?.querySelectorAll("rn-control")
            .length === 3,
        "three controls",
        90_000,
      );
      await expect(element).to.be.accessible();
      element.view = "app";
      await waitFor(() => viewOf(element)?.shadowRoot?.querySelector('[part~="app-cell"]'), "the app view");
      await expect(element).to.be.accessible();
    });

    it("a cell waiting for the sample database (progress, Stop) and the name being renamed pass axe", async () => {
      const user = uniqueUser();
      const { notebook } = await createNotebook(user, [{ type: "sql", code: "select 1", name: "one" }]);
      const element = await notebookElement(user, notebook.id, theme);
      const [sql] = await waitForCells(element, 1);
      // Drawn as the notebook draws a waiting cell (the service's cell_progress), without waiting for one.
      sql!.cell = { ...sql!.cell, status: "running" };
      sql!.wait = { kind: "database", message: "Starting the sample database…", fraction: 0.3 };
      sql!.elapsedMs = 1500;
      await sql!.updateComplete;
      expect(sql!.shadowRoot?.querySelector('[part~="cell-progress"] progress')).to.exist;
      const view = viewOf(element)!;
      view.shadowRoot!.querySelector<HTMLButtonElement>("button.rename-button")!.click();
      await waitFor(() => view.shadowRoot?.querySelector("input.rename"), "the name field");
      await expect(element).to.be.accessible();
    });

    it("the keyboard shortcuts dialog passes axe", async () => {
      const user = uniqueUser();
      const { notebook } = await createNotebook(user, [{ type: "python", code: "a = 1" }]);
      const element = await notebookElement(user, notebook.id, theme);
      await waitForCells(element, 1);
      const view = viewOf(element)!;
      await view.openShortcuts();
      await waitFor(
        () => view.shadowRoot?.querySelector<HTMLDialogElement>("dialog.shortcuts-help")?.open,
        "the dialog",
      );
      await expect(element).to.be.accessible();
    });
  });
}
