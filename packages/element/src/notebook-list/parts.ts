/** The part names of the list (forwarded by `<reactive-notebook>`), apart from the component so the core need not load it. */
export const LIST_PARTS = ["notebook-list", "notebook-list-item", "button", "input"] as const;
