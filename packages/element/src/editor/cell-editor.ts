/**
 * A cell's CodeMirror 6 editor: language per cell type, line numbers, bracket matching, its own undo
 * history, long lines wrapped (never cut off at the cell's edge), a placeholder while empty, colours from
 * the element's `--rn-*` tokens (so it follows the theme without reconfiguring), the run keys, and a way
 * to take in code edited elsewhere without echoing it back as a local edit.
 */
import {
  history,
  historyKeymap,
  indentLess,
  indentMore,
  standardKeymap,
  toggleComment,
} from "@codemirror/commands";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { Annotation, Compartment, EditorState, type Extension } from "@codemirror/state";
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  type KeyBinding,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { type EditorLanguage, loadLanguage } from "./languages.js";

export type { EditorLanguage };

/** What the editor tells its cell. */
export interface CellEditorCallbacks {
  /** The user changed the code (never called for `replaceCode`). */
  edited(code: string): void;
  /** Keys that belong to the notebook rather than the text: run, run and move on, leave the editor. */
  keys: KeyBinding[];
}

/** What a cell's editor is configured with (and re-configured with when the cell changes). */
export interface EditorOptions {
  language: EditorLanguage;
  readonly: boolean;
  /** The editor's accessible name. */
  label: string;
  /** Shown while the editor is empty ("" for none). */
  placeholder: string;
}

/** Marks a transaction that brings in code from the service, so it is not saved back. */
const fromService = Annotation.define<boolean>();

/** Syntax colours, each a token so both themes keep AA contrast on the editor background. */
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword], color: "var(--rn-syntax-keyword)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--rn-syntax-string)" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--rn-syntax-number)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "var(--rn-syntax-comment)" },
  {
    tag: [
      tags.function(tags.variableName),
      tags.function(tags.propertyName),
      tags.definition(tags.variableName),
    ],
    color: "var(--rn-syntax-function)",
  },
  { tag: [tags.typeName, tags.className], color: "var(--rn-syntax-type)" },
  { tag: tags.heading, fontWeight: "bold", color: "var(--rn-syntax-keyword)" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: tags.link, color: "var(--rn-syntax-string)", textDecoration: "underline" },
]);

/** Editor chrome drawn from the element's tokens. */
const chrome = EditorView.theme({
  "&": {
    backgroundColor: "var(--rn-color-code-background)",
    color: "var(--rn-color-text)",
    fontSize: "var(--rn-font-size)",
  },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--rn-font-family-code)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--rn-color-text)", padding: "6px 0" },
  ".cm-placeholder": { color: "var(--rn-color-muted)", fontStyle: "italic" },
  ".cm-dropCursor": { borderLeftColor: "var(--rn-color-text)" },
  ".cm-gutters": {
    backgroundColor: "var(--rn-color-code-background)",
    color: "var(--rn-color-muted)",
    border: "none",
  },
  ".cm-activeLine": { backgroundColor: "transparent" },
  "&.cm-focused .cm-activeLine": { backgroundColor: "var(--rn-color-active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "transparent" },
  "&.cm-focused .cm-activeLineGutter": { backgroundColor: "var(--rn-color-active-line)" },
  "& ::selection": { backgroundColor: "var(--rn-color-selection)" },
  ".cm-matchingBracket, &.cm-focused .cm-matchingBracket": {
    backgroundColor: "var(--rn-color-selection)",
    outline: "1px solid var(--rn-color-muted)",
  },
});

/** One cell's editor; `destroy()` it when the cell goes away. */
export class CellEditor {
  readonly view: EditorView;
  readonly #language = new Compartment();
  readonly #editable = new Compartment();
  readonly #label = new Compartment();
  readonly #placeholder = new Compartment();
  /** The language asked for last; a grammar that loads after another was asked for is dropped. */
  #wanted: EditorLanguage;

  constructor(
    parent: HTMLElement,
    options: EditorOptions & { code: string },
    callbacks: CellEditorCallbacks,
  ) {
    this.#wanted = options.language;
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: options.code,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          // No drawSelection(): the browser's own caret and selection (styled below) serve single-cursor
          // cells, and leaving its layers out keeps 2.2 KB gzipped out of the core bundle.
          indentOnInput(),
          indentUnit.of("    "),
          bracketMatching(),
          syntaxHighlighting(highlight),
          chrome,
          EditorView.lineWrapping,
          // The notebook's keys first, so Shift+Enter runs instead of inserting a line. Tab is left to the
          // page (keyboard users leave the editor with it); Mod-] / Mod-[ indent instead.
          keymap.of([
            ...callbacks.keys,
            ...historyKeymap,
            { key: "Mod-]", run: indentMore },
            { key: "Mod-[", run: indentLess },
            { key: "Mod-/", run: toggleComment },
            ...standardKeymap,
          ]),
          // Plain text until the grammar's chunk has loaded.
          this.#language.of([]),
          this.#editable.of(editability(options.readonly)),
          this.#label.of(EditorView.contentAttributes.of({ "aria-label": options.label })),
          this.#placeholder.of(placeholderOf(options.placeholder)),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            if (update.transactions.some((tr) => tr.annotation(fromService))) return;
            callbacks.edited(update.state.doc.toString());
          }),
        ],
      }),
    });
    this.#setLanguage(options.language);
  }

  #setLanguage(kind: EditorLanguage): void {
    this.#wanted = kind;
    void loadLanguage(kind).then(
      (support) => {
        if (this.#wanted === kind) this.view.dispatch({ effects: this.#language.reconfigure(support) });
      },
      () => undefined,
    );
  }

  get code(): string {
    return this.view.state.doc.toString();
  }

  /** Takes in code changed elsewhere (another tab, an agent) without saving it back or adding an undo step. */
  replaceCode(code: string): void {
    if (code === this.code) return;
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: code },
      annotations: [fromService.of(true)],
    });
  }

  configure(options: EditorOptions): void {
    if (options.language !== this.#wanted) this.#setLanguage(options.language);
    this.view.dispatch({
      effects: [
        this.#editable.reconfigure(editability(options.readonly)),
        this.#label.reconfigure(EditorView.contentAttributes.of({ "aria-label": options.label })),
        this.#placeholder.reconfigure(placeholderOf(options.placeholder)),
      ],
    });
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}

function placeholderOf(text: string): Extension {
  return text ? placeholder(text) : [];
}

function editability(readonly: boolean): Extension {
  return [EditorState.readOnly.of(readonly), EditorView.editable.of(!readonly)];
}
