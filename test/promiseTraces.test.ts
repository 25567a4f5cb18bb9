import * as assert from "assert";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import { recordResources } from "../offline/harness";
import { withoutStackTraces } from "../offline/promiseTraces";

// Internal to the SDK (not in its typings) but exported: what the runtime wraps each of its promises in.
const runtime = debuggable as unknown as { debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T> };

describe("Pulumi's promise traces under the mocks", () => {
    it("withoutStackTraces: errors made inside carry no frames; the limit comes back, even after a throw", () => {
        const limit = Error.stackTraceLimit;
        assert.strictEqual(withoutStackTraces(() => new Error("inside").stack)(), "Error: inside");
        assert.throws(withoutStackTraces(() => {
            throw new Error("thrown");
        }), /thrown/);
        assert.strictEqual(Error.stackTraceLimit, limit);
    });

    it("are taken empty once the mocks are installed, while errors keep their full trace", async () => {
        await recordResources(() => undefined);
        // debuggablePromise puts the trace on the promise it is given.
        const traced = Promise.resolve(1) as Promise<number> & { _debugStackTrace?: string };
        assert.strictEqual(await runtime.debuggablePromise(traced, "test"), 1);
        assert.strictEqual(traced._debugStackTrace, "Error");
        assert.match(new Error("boom").stack ?? "", /^Error: boom\n {4}at .*promiseTraces\.test\.ts:\d+:\d+/);
    });
});
