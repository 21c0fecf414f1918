/** Signing in to `<reactive-notebook>`: signed-out users see no notebook content; dev sign-in, sign-out, host tokens. */
import { expect, fixture, html } from "@open-wc/testing";
import { devTokenProvider } from "@reactive-notebook/sdk";
import type { AuthChangeDetail, ReactiveNotebookElement, ServiceStatus } from "../src/index.js";
import {
  button,
  clientFor,
  createNotebook,
  listOf,
  rememberDevUser,
  serviceUrl,
  uniqueUser,
  viewOf,
  waitFor,
} from "./helpers.js";

function signInForm(element: ReactiveNotebookElement): HTMLFormElement | null {
  return element.shadowRoot?.querySelector('[part~="sign-in"] form') ?? null;
}

describe("<reactive-notebook> sign-in", () => {
  afterEach(() => rememberDevUser(null));

  it("signed out, it shows the dev sign-in form and no notebook content, even with a notebook-id", async () => {
    const { notebook } = await createNotebook(uniqueUser(), [{ type: "python", code: "secret = 42" }]);
    await rememberDevUser(null);
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url=${await serviceUrl()} notebook-id=${notebook.id}></reactive-notebook>`,
    );
    await waitFor(() => signInForm(element), "the sign-in form");
    expect(viewOf(element)).to.equal(null);
    expect(listOf(element)).to.equal(null);
    expect(element.shadowRoot?.textContent).not.to.contain("secret");
  });

  it("signing in as a dev user fires auth-change and shows the user's notebooks; signing out hides them", async () => {
    await rememberDevUser(null);
    const heard: AuthChangeDetail[] = [];
    const statuses: ServiceStatus[] = [];
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook
        api-url=${await serviceUrl()}
        @auth-change=${(event: CustomEvent<AuthChangeDetail>) => heard.push(event.detail)}
        @service-status=${(event: CustomEvent<ServiceStatus>) => statuses.push(event.detail)}
      ></reactive-notebook>`,
    );
    const form = await waitFor(() => signInForm(element), "the sign-in form");
    expect(statuses[0]).to.include({ state: "connected", authMode: "dev" });
    const user = uniqueUser("alice");
    const input = form.querySelector("input")!;
    input.value = user;
    form.requestSubmit();
    await waitFor(() => listOf(element), "the notebook list after signing in");
    expect(heard).to.deep.equal([{ signedIn: true, userId: user, method: "dev" }]);
    expect(element.shadowRoot?.querySelector('[part~="user"]')?.textContent).to.contain(user);

    button(element.shadowRoot?.querySelector('[part~="user"]'), "Sign out").click();
    await waitFor(() => signInForm(element), "the sign-in form after signing out");
    expect(listOf(element)).to.equal(null);
    expect(heard.at(-1)).to.deep.equal({ signedIn: false, userId: null, method: null });
  });

  it("a host's getToken property signs in without any form", async () => {
    await rememberDevUser(null);
    const user = uniqueUser("host");
    const apiUrl = await serviceUrl();
    const heard: AuthChangeDetail[] = [];
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook
        api-url=${apiUrl}
        .getToken=${devTokenProvider(apiUrl, user)}
        @auth-change=${(event: CustomEvent<AuthChangeDetail>) => heard.push(event.detail)}
      ></reactive-notebook>`,
    );
    await waitFor(() => listOf(element), "the notebook list");
    expect(signInForm(element)).to.equal(null);
    expect(heard).to.deep.equal([{ signedIn: true, userId: user, method: "host" }]);
  });

  it("a host's ready client property signs in, and the header still shows the service's version", async () => {
    const user = uniqueUser("client");
    const client = await clientFor(user);
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook .client=${client}></reactive-notebook>`,
    );
    await waitFor(() => listOf(element), "the notebook list");
    expect(signInForm(element)).to.equal(null);
    const status = await waitFor(
      () => element.shadowRoot?.querySelector('[part~="status"][data-state="connected"]'),
      "the service status",
    );
    expect(status.textContent).to.match(/^Service v\d+\.\d+\.\d+/);
  });

  it("says so when the service cannot be reached, and shows no sign-in", async () => {
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook api-url="http://127.0.0.1:45679"></reactive-notebook>`,
    );
    const alert = await waitFor(() => element.shadowRoot?.querySelector('[role="alert"]'), "an error");
    expect(alert.textContent).to.contain("Cannot reach the notebook service at http://127.0.0.1:45679");
    expect(element.shadowRoot?.querySelector('[part~="status"]')?.getAttribute("data-state")).to.equal(
      "error",
    );
    expect(signInForm(element)).to.equal(null);
  });

  it("asks for an api-url when it has none", async () => {
    const element = await fixture<ReactiveNotebookElement>(html`<reactive-notebook></reactive-notebook>`);
    const alert = await waitFor(() => element.shadowRoot?.querySelector('[role="alert"]'), "an error");
    expect(alert.textContent).to.contain("set the api-url attribute");
  });
});
