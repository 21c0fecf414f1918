/**
 * The cell languages, loaded on first use: each grammar is its own chunk, so the core bundle carries the
 * editor but no grammar, and a notebook without SQL never downloads the SQL one.
 */
import type { LanguageSupport } from "@codemirror/language";

export type EditorLanguage = "python" | "sql" | "markdown";

const loaders: Record<EditorLanguage, () => Promise<LanguageSupport>> = {
  python: () => import("@codemirror/lang-python").then(({ python }) => python()),
  sql: () => import("@codemirror/lang-sql").then(({ PostgreSQL, sql }) => sql({ dialect: PostgreSQL })),
  markdown: () => import("@codemirror/lang-markdown").then(({ markdown }) => markdown()),
};

const loaded = new Map<EditorLanguage, Promise<LanguageSupport>>();

/** The language support for `kind`, fetched once per page. */
export function loadLanguage(kind: EditorLanguage): Promise<LanguageSupport> {
  let support = loaded.get(kind);
  if (!support) {
    support = loaders[kind]();
    support.catch(() => loaded.delete(kind));
    loaded.set(kind, support);
  }
  return support;
}
