/** The demo site's entry: registers the site's components and `<reactive-notebook>`, then the app starts itself. */
import "@reactive-notebook/element/define";
import { DemoApp } from "./app.js";
import { LandingPage } from "./landing-page.js";
import { NotebookList } from "./notebook-list.js";
import { NotebookPage } from "./notebook-page.js";

const components: [string, CustomElementConstructor][] = [
  ["rn-demo-landing", LandingPage],
  ["rn-demo-notebooks", NotebookList],
  ["rn-demo-notebook", NotebookPage],
  ["rn-demo-app", DemoApp],
];
// Defined unconditionally: a name taken by someone else (the element's own rn-* tags) must fail loudly.
for (const [name, component] of components) customElements.define(name, component);

declare global {
  interface HTMLElementTagNameMap {
    "rn-demo-app": DemoApp;
    "rn-demo-landing": LandingPage;
    "rn-demo-notebooks": NotebookList;
    "rn-demo-notebook": NotebookPage;
  }
}
