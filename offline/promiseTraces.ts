import * as path from "path";

/**
 * Pulumi's runtime reads `new Error().stack` for every promise it makes (debuggablePromise in
 * @pulumi/pulumi runtime/debuggable.js: about 17,000 in the plan of prod) and prints those traces
 * only in the leak report that PULUMI_DEBUG_PROMISE_LEAKS asks for. Formatting them was a sixth of
 * the plan's CPU time, so under the mocks they format as an empty string unless that report is asked
 * for. Every other error keeps Node's own formatting; the leak detector itself still runs.
 */
const PULUMI_DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");

type Format = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** `format`, except for the traces debuggablePromise takes: those are empty. */
export function skippingPromiseTraces(format: Format): Format {
    return (error, frames) => {
        const top = frames[0];
        return top?.getFunctionName() === "debuggablePromise" && top.getFileName()?.endsWith(PULUMI_DEBUGGABLE) ? "" : format(error, frames);
    };
}

let installed = false;

export function skipPromiseTraces(env: NodeJS.ProcessEnv = process.env): void {
    // Node (20 and 22) exposes its default formatter as Error.prepareStackTrace: the one to wrap.
    const format = Error.prepareStackTrace;
    if (installed || env.PULUMI_DEBUG_PROMISE_LEAKS || !format) {
        return;
    }
    installed = true;
    Error.prepareStackTrace = skippingPromiseTraces(format);
}
