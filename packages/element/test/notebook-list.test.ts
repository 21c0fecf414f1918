/** `<reactive-notebook>` without a notebook-id: the user's notebooks — create (opens it), rename, delete, open. */
import { expect } from "@open-wc/testing";
import type { NotebookOpenDetail } from "../src/index.js";
import {
  button,
  clientFor,
  listOf,
  notebookElement,
  rememberDevUser,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

function items(root: ShadowRoot | null | undefined): HTMLElement[] {
  return [...(root?.querySelectorAll<HTMLElement>('[part~="notebook-list-item"]') ?? [])];
}

describe("<reactive-notebook> notebook list", () => {
  afterEach(() => rememberDevUser(null));

  it("creates a notebook and opens it (notebook-open), goes back, renames and deletes it", async () => {
    const user = uniqueUser();
    const opened: NotebookOpenDetail[] = [];
    document.body.addEventListener("notebook-open", (event) => opened.push(event.detail));
    const element = await notebookElement(user);
    const list = await waitFor(() => listOf(element), "the list");
    await waitFor(() => list.shadowRoot?.textContent?.includes("No notebooks yet"), "an empty list");

    const form = list.shadowRoot!.querySelector<HTMLFormElement>("form.create")!;
    form.querySelector("input")!.value = "Sales analysis";
    form.requestSubmit();
    await waitFor(() => viewOf(element), "the new notebook opened");
    await waitForCells(element, 1);
    const notebookId = opened.at(-1)?.notebookId;
    expect(notebookId).to.be.a("string");
    expect(element.notebookId).to.equal(notebookId);
    expect(element.getAttribute("notebook-id")).to.equal(notebookId);

    button(viewOf(element)?.shadowRoot, "← Notebooks").click();
    const back = await waitFor(() => listOf(element), "the list again");
    expect(opened.at(-1)).to.deep.equal({ notebookId: null });
    const [item] = await waitFor(
      () => items(back.shadowRoot).length === 1 && items(back.shadowRoot),
      "one item",
    );
    expect(item!.textContent).to.contain("Sales analysis");

    button(item, "Rename Sales analysis").click();
    const rename = await waitFor(
      () => back.shadowRoot?.querySelector<HTMLFormElement>("form.rename"),
      "rename form",
    );
    rename.querySelector("input")!.value = "Q3 sales";
    rename.requestSubmit();
    await waitFor(() => items(back.shadowRoot)[0]?.textContent?.includes("Q3 sales"), "the new name");
    const client = await clientFor(user);
    expect((await client.notebooks.get(notebookId!)).name).to.equal("Q3 sales");

    button(items(back.shadowRoot)[0], "Delete Q3 sales").click();
    button(await waitFor(() => items(back.shadowRoot)[0], "item"), "Delete").click();
    await waitFor(() => back.shadowRoot?.textContent?.includes("No notebooks yet"), "the list empty again");
    expect(await client.notebooks.list()).to.deep.equal([]);
  });

  it("opening a notebook from the list fires notebook-open with its id", async () => {
    const user = uniqueUser();
    const client = await clientFor(user);
    const created = await client.notebooks.create({ name: "Opened from the list" });
    const opened: NotebookOpenDetail[] = [];
    const element = await notebookElement(user);
    element.addEventListener("notebook-open", (event) => opened.push(event.detail));
    const list = await waitFor(() => listOf(element), "the list");
    const open = await waitFor(
      () => list.shadowRoot?.querySelector<HTMLButtonElement>("button.open"),
      "the notebook's open button",
    );
    open.click();
    await waitFor(() => viewOf(element), "the notebook");
    expect(opened).to.deep.equal([{ notebookId: created.id }]);
  });

  it("with notebook-href, names are links to the host's URLs; a plain click opens in place and fires notebook-open", async () => {
    const user = uniqueUser();
    const client = await clientFor(user);
    const created = await client.notebooks.create({ name: "Linked notebook" });
    const element = await notebookElement(user);
    element.notebookHref = "/n/{id}";
    const opened: NotebookOpenDetail[] = [];
    element.addEventListener("notebook-open", (event) => opened.push(event.detail));
    const list = await waitFor(() => listOf(element), "the list");
    const link = await waitFor(() => list.shadowRoot?.querySelector<HTMLAnchorElement>("a.open"), "the link");
    expect(link.textContent).to.equal("Linked notebook");
    expect(new URL(link.href).pathname).to.equal(`/n/${created.id}`);
    const before = location.href;
    link.click();
    await waitFor(() => viewOf(element), "the notebook");
    expect(opened).to.deep.equal([{ notebookId: created.id }]);
    expect(location.href, "the page did not navigate").to.equal(before);
  });
});
