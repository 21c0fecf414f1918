// Specification of the last-resort error policy main.ts installs: an unhandled rejection is logged and the
// service keeps serving; an uncaught exception is logged and the server shuts down for its supervisor.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { EXIT_UNCAUGHT, installLastResortHandlers } from "../src/last-resort.js";

function setup() {
  const target = new EventEmitter();
  const logged: { level: string; msg: string }[] = [];
  const shutdowns: number[] = [];
  installLastResortHandlers(
    target,
    {
      error: (_o, msg) => logged.push({ level: "error", msg }),
      fatal: (_o, msg) => logged.push({ level: "fatal", msg }),
    },
    (code) => shutdowns.push(code),
  );
  return { target, logged, shutdowns };
}

test("an unhandled promise rejection is logged and the service keeps serving", () => {
  const { target, logged, shutdowns } = setup();
  target.emit("unhandledRejection", new RangeError("Maximum call stack size exceeded"));
  assert.equal(logged.length, 1);
  assert.equal(logged[0]?.level, "error");
  assert.deepEqual(shutdowns, []);
});

test("an uncaught exception is logged and the server shuts down with exit code 70", () => {
  const { target, logged, shutdowns } = setup();
  target.emit("uncaughtException", new Error("boom"));
  assert.equal(logged[0]?.level, "fatal");
  assert.deepEqual(shutdowns, [EXIT_UNCAUGHT]);
  assert.equal(EXIT_UNCAUGHT, 70);
});
