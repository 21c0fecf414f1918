/**
 * The SDK against the real service in Clerk mode. Tokens are Clerk-shaped session JWTs (azp, sub, sid, iat,
 * nbf, exp, RS256) signed here with a key generated for the run; the server gets its PEM public key as
 * CLERK_JWT_KEY, so @clerk/backend verifies every token for real and offline. Covered: every method with
 * Clerk tokens (through `clerkTokenProvider`), a token refreshed mid-session, expired and forged tokens,
 * and a token issued to another origin.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import WebSocket from "ws";
import {
  type Cell,
  type ClerkLike,
  clerkTokenProvider,
  ForbiddenError,
  NotebookClient,
  NotFoundError,
  UnauthorizedError,
} from "../src/index.js";
import { type RealServer, recordingWebSocket, startRealServer } from "./session-server.js";

/** The page origin the tokens are issued to, and the only one the server authorizes. */
const ORIGIN = "http://sdk.test";
const ISSUER = "https://clerk.sdk.test";
const PUBLISHABLE_KEY = "pk_test_c2RrLnRlc3Qk";
const RUN_TIMEOUT_MS = 90_000;

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

let server: RealServer;
/** "The Clerk instance": its signing key. */
let clerkKey: PrivateKey;
/** A key the server has never seen. */
let strangerKey: PrivateKey;

before(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  clerkKey = pair.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  server = await startRealServer({
    AUTH_MODE: "clerk",
    CLERK_JWT_KEY: await exportSPKI(pair.publicKey),
    CLERK_AUTHORIZED_PARTIES: ORIGIN,
    CLERK_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
  });
});
after(() => server?.dispose());

interface TokenOptions {
  /** Seconds from now (Clerk's session tokens live 60 s). */
  expiresIn?: number;
  azp?: string;
  key?: PrivateKey;
}

/** A session token as Clerk mints it for `userId`. */
function clerkToken(userId: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ azp: options.azp ?? ORIGIN, sid: `sess_${userId}` })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "ins_sdk_test" })
    .setIssuer(ISSUER)
    .setSubject(userId)
    .setIssuedAt(now - 5)
    .setNotBefore(now - 5)
    .setExpirationTime(now + (options.expiresIn ?? 60))
    .sign(options.key ?? clerkKey);
}

/** A stand-in for `window.Clerk` whose signed-in session mints a fresh token on every `getToken()`. */
function signedIn(userId: string, options: TokenOptions = {}): ClerkLike & { minted: number } {
  const clerk = {
    minted: 0,
    session: {
      getToken: () => {
        clerk.minted += 1;
        return clerkToken(userId, options);
      },
    },
  };
  return clerk;
}

function clientAs(clerk: ClerkLike): NotebookClient {
  return new NotebookClient({ baseUrl: server.url, getToken: clerkTokenProvider(clerk) });
}

const text = (cell: Cell | undefined) =>
  cell?.outputs.find((output) => output.mimeType === "text/plain")?.data;

describe("Clerk mode", () => {
  test("config() tells a client how to sign in, before any token", async () => {
    const anonymous = new NotebookClient({ baseUrl: server.url });

    const config = await anonymous.config();

    assert.equal(config.authMode, "clerk");
    assert.equal(config.publishableKey, PUBLISHABLE_KEY);
    assert.equal(config.version, (await anonymous.health()).version);
  });

  test("every REST method and a live session work with Clerk session tokens", async () => {
    const alice = clientAs(signedIn("user_alice"));

    assert.deepEqual(await alice.me(), { userId: "user_alice", authMode: "clerk" });
    const notebook = await alice.notebooks.create({
      name: "Clerk",
      cells: [
        { type: "python", code: "x = 10" },
        { type: "python", code: "y = x + 5\ny" },
      ],
    });
    assert.ok((await alice.notebooks.list()).some((summary) => summary.id === notebook.id));
    assert.equal((await alice.notebooks.get(notebook.id)).name, "Clerk");
    assert.equal((await alice.notebooks.rename(notebook.id, "Clerk 2")).name, "Clerk 2");
    assert.deepEqual(await alice.notebooks.setDatabase(notebook.id, null), { configured: false });

    const z = await alice.cells.create(notebook.id, { type: "python", code: "z = y * 2\nz" });
    const scratch = await alice.cells.create(notebook.id, { type: "markdown", code: "# notes", index: 0 });
    assert.equal((await alice.cells.update(notebook.id, scratch.id, { code: "# Notes" })).code, "# Notes");
    const { order } = await alice.cells.move(notebook.id, scratch.id, 3);
    assert.equal(order.at(-1), scratch.id);
    await alice.cells.delete(notebook.id, scratch.id);

    const session = await alice.connect(notebook.id);
    try {
      const all = await session.runAll({ signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
      assert.deepEqual(
        all.cells.map((cell) => cell.status),
        ["success", "success", "success"],
      );
      assert.equal(text(session.cell(z.id)), "30");
      const [x] = notebook.cells;
      assert.ok(x);
      const rerun = await session.updateAndRun(x.id, "x = 20", {
        signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
      });
      assert.equal(text(rerun.cells.find((cell) => cell.id === z.id)), "50");
      const single = await session.run(z.id, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
      assert.equal(text(single.cells[0]), "50");

      const { runId } = await alice.cells.run(notebook.id, z.id);
      assert.equal(typeof runId, "string");
      assert.equal(typeof (await alice.notebooks.run(notebook.id)).runId, "string");
      await alice.notebooks.interrupt(notebook.id);
      await session.interrupt();
      await alice.notebooks.restartKernel(notebook.id);
    } finally {
      session.close();
    }

    const exported = await alice.notebooks.exportIpynb(notebook.id);
    assert.equal(exported.nbformat, 4);
    const imported = await alice.notebooks.importIpynb(exported);
    assert.deepEqual(
      imported.cells.map((cell) => cell.code),
      ["x = 20", "y = x + 5\ny", "z = y * 2\nz"],
    );
    await alice.notebooks.delete(imported.id);
    await alice.notebooks.delete(notebook.id);
    await assert.rejects(alice.notebooks.get(notebook.id), NotFoundError);
  });

  test("another Clerk user is refused alice's notebook, over REST and the socket", async () => {
    const alice = clientAs(signedIn("user_alice"));
    const bob = clientAs(signedIn("user_bob"));
    const notebook = await alice.notebooks.create();

    await assert.rejects(bob.notebooks.get(notebook.id), ForbiddenError);
    await assert.rejects(bob.connect(notebook.id), ForbiddenError);
    assert.ok(!(await bob.notebooks.list()).some((summary) => summary.id === notebook.id));
  });

  test("dev tokens do not exist in Clerk mode", async () => {
    const anonymous = new NotebookClient({ baseUrl: server.url });

    await assert.rejects(anonymous.dev.token("alice"), NotFoundError);
  });

  test("a short-lived token is refreshed mid-session: new auth frames before expiry, the socket stays open", async (t) => {
    const alice = clientAs(signedIn("user_alice"));
    const notebook = await alice.notebooks.create();

    // The control: the server itself closes a socket whose token ran out (4401), so staying open means refreshing.
    const raw = new WebSocket(`${server.url.replace("http", "ws")}/api/v1/notebooks/${notebook.id}/ws`);
    const rawToken = await clerkToken("user_alice", { expiresIn: 2 });
    raw.on("open", () => raw.send(JSON.stringify({ type: "auth", token: rawToken })));
    const rawClose = new Promise<number>((resolve) => raw.on("close", (code) => resolve(code)));

    const clerk = signedIn("user_alice", { expiresIn: 3 });
    const socket = recordingWebSocket();
    const session = await clientAs(clerk).connect(notebook.id, { WebSocket: socket.WebSocket });
    t.after(() => session.close());
    const statuses: string[] = [];
    session.onStatus((status) => statuses.push(status));

    assert.equal(await rawClose, 4401);
    // With the wait below, the session has outlived its first token (exp is whole seconds: 2–3 s after connect).
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const renamed = new Promise<string>((resolve) =>
      session.on("notebook_updated", (event) => resolve(event.name)),
    );
    await alice.notebooks.rename(notebook.id, "Still listening");

    assert.equal(await renamed, "Still listening");
    const authFrames = socket.sent.filter((frame) => frame.type === "auth");
    assert.ok(authFrames.length >= 3, `expected refreshes, got ${authFrames.length} auth frames`);
    assert.ok(clerk.minted >= 3);
    assert.deepEqual(statuses, [], "the socket never dropped");
    assert.equal(session.status, "open");
  });

  test("an expired or forged token is refused with UnauthorizedError, over REST and the socket", async () => {
    const notebook = await clientAs(signedIn("user_alice")).notebooks.create();
    const expired = clientAs(signedIn("user_alice", { expiresIn: -60 }));
    const forged = clientAs(signedIn("user_alice", { key: strangerKey }));
    const garbage = new NotebookClient({ baseUrl: server.url, getToken: () => "not-a-jwt" });

    await assert.rejects(expired.me(), (error: unknown) => {
      assert.ok(error instanceof UnauthorizedError);
      assert.equal(error.status, 401);
      assert.equal(error.code, "unauthorized");
      assert.match(error.message, /expired/);
      assert.equal(typeof error.requestId, "string");
      return true;
    });
    await assert.rejects(forged.notebooks.get(notebook.id), UnauthorizedError);
    await assert.rejects(garbage.notebooks.list(), UnauthorizedError);
    await assert.rejects(expired.connect(notebook.id), UnauthorizedError);
    await assert.rejects(forged.connect(notebook.id), UnauthorizedError);
  });

  test("a token issued to another origin (azp) is refused", async () => {
    const notebook = await clientAs(signedIn("user_alice")).notebooks.create();
    const elsewhere = clientAs(signedIn("user_alice", { azp: "https://evil.example" }));

    await assert.rejects(elsewhere.me(), (error: unknown) => {
      assert.ok(error instanceof UnauthorizedError);
      assert.match(error.message, /not authorized/);
      return true;
    });
    await assert.rejects(elsewhere.notebooks.get(notebook.id), UnauthorizedError);
    await assert.rejects(elsewhere.connect(notebook.id), UnauthorizedError);
  });

  test("signed out: clerkTokenProvider refuses before any request", async () => {
    await assert.rejects(clientAs({ session: null }).me(), /Not signed in/);
  });
});
