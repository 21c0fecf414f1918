/**
 * Clerk, loaded on demand: `@clerk/clerk-js` is imported dynamically, so bundlers put it in its own chunk
 * and pages without a publishable key never download it. One instance per publishable key is shared by
 * every element on the page (Clerk keeps one session per page anyway).
 */

/** The part of a Clerk instance the element uses. */
export interface ClerkInstance {
  user: { id: string } | null | undefined;
  session: { getToken(): Promise<string | null> } | null | undefined;
  load(options?: Record<string, unknown>): Promise<void>;
  mountSignIn(node: HTMLDivElement, props?: Record<string, unknown>): void;
  unmountSignIn(node: HTMLDivElement): void;
  mountUserButton(node: HTMLDivElement, props?: Record<string, unknown>): void;
  unmountUserButton(node: HTMLDivElement): void;
  addListener(listener: (resources: { user?: unknown }) => void): () => void;
  signOut(): Promise<void>;
}

const instances = new Map<string, Promise<ClerkInstance>>();

/** The loaded Clerk instance for `publishableKey` (its script chunk is fetched on the first call). */
export function loadClerk(publishableKey: string): Promise<ClerkInstance> {
  let instance = instances.get(publishableKey);
  if (!instance) {
    instance = import("@clerk/clerk-js").then(async ({ Clerk }) => {
      const clerk = new Clerk(publishableKey) as unknown as ClerkInstance;
      await clerk.load();
      return clerk;
    });
    // A failed load (offline, bad key) may be retried later.
    instance.catch(() => instances.delete(publishableKey));
    instances.set(publishableKey, instance);
  }
  return instance;
}
