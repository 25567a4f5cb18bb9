import * as assert from "assert";
import * as path from "path";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import { recordResources } from "../offline/harness";
import { skippingPromiseTraces } from "../offline/promiseTraces";

// Internal to the SDK (not in its typings) but exported: what the runtime wraps each of its promises in.
const { debuggablePromise } = debuggable as unknown as { debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T> };

const frame = (functionName: string | null, fileName: string) => ({ getFunctionName: () => functionName, getFileName: () => fileName }) as NodeJS.CallSite;
const DEBUGGABLE = path.join("/app", "node_modules", "@pulumi", "pulumi", "runtime", "debuggable.js");

describe("Pulumi's promise traces under the mocks", () => {
    const format = skippingPromiseTraces((error, frames) => `${error.message} (${frames.length} frames)`);

    it("are empty for the traces debuggablePromise takes", () => {
        assert.strictEqual(format(new Error(), [frame("debuggablePromise", DEBUGGABLE), frame("prepareResource", "resource.js")]), "");
    });

    it("leave every other error's trace to the formatter it wraps", () => {
        assert.strictEqual(format(new Error("boom"), [frame("prepareResource", "resource.js")]), "boom (1 frames)");
        assert.strictEqual(format(new Error("boom"), [frame("debuggablePromise", path.join("/app", "lib", "debuggable.js"))]), "boom (1 frames)");
        assert.strictEqual(format(new Error("boom"), []), "boom (0 frames)");
    });

    it("are skipped once the mocks are installed, while errors keep Node's full trace", async () => {
        await recordResources(() => undefined);
        // debuggablePromise puts the trace on the promise it is given.
        const traced = Promise.resolve(1) as Promise<number> & { _debugStackTrace?: string };
        await debuggablePromise(traced, "test");
        assert.strictEqual(traced._debugStackTrace, "");
        const stack = new Error("boom").stack ?? "";
        assert.match(stack, /^Error: boom\n {4}at .*promiseTraces\.test\.ts:\d+:\d+/);
    });
});
