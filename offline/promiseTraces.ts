import * as debuggable from "@pulumi/pulumi/runtime/debuggable";

/**
 * Pulumi's runtime takes `new Error().stack` for every promise it makes (debuggablePromise in
 * @pulumi/pulumi runtime/debuggable.js: about 17,000 in the plan of prod) and prints those traces
 * only in the leak report that PULUMI_DEBUG_PROMISE_LEAKS asks for. Taking them was a fifth of the
 * plan's CPU time, so under the mocks they are taken empty unless that report is asked for. The
 * runtime's own callers reach the function through its module's exports, where it is wrapped; the
 * leak detector itself still runs, and every other error keeps its trace.
 */

type Debuggable = { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };

/** `f`, with errors created while it runs carrying no stack frames. */
export function withoutStackTraces<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
    return (...args) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return f(...args);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}

let installed = false;

export function skipPromiseTraces(env: NodeJS.ProcessEnv = process.env): void {
    if (installed || env.PULUMI_DEBUG_PROMISE_LEAKS) {
        return;
    }
    installed = true;
    // Internal to the SDK (not in its typings) but exported.
    const runtime = debuggable as unknown as Debuggable;
    runtime.debuggablePromise = withoutStackTraces(runtime.debuggablePromise);
}
