/**
 * Service behaviour that end-to-end tests here expect but that lands on `main` separately: issue 21's
 * server side (the service sending `cell_progress` and storing `Cell.blockedBy`). A test that needs one
 * skips, saying why, while its entry is a string; set it to `false` once the service does it.
 */
export const AWAITING_SERVER: Record<"cellProgress" | "storedBlockedBy", string | false> = {
  cellProgress: false,
  storedBlockedBy: false,
};
