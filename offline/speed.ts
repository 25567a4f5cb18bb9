/**
 * The plan's speed check: the offline plan of a stack against the time Node takes to import the
 * providers alone (the floor of any plan), as a ratio, so the figure holds on a fast or slow machine.
 */

/** The issue's goal: a plan within twice the providers' import. */
export const GOAL = 2;
/**
 * Allowed above the goal before the check fails: the minimum of a few runs still moves by about a
 * tenth on a machine shared with other work, so the check fails only on a clear regression.
 */
export const TOLERANCE = 0.25;

export interface Timings {
    /** Seconds per run of `npm run plan -- <stack>`'s command. */
    plan: number[];
    /** Seconds per run of the providers' import alone. */
    providers: number[];
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface SpeedVerdict {
    /** Fastest plan over fastest import: the runs least slowed by anything else on the machine. */
    ratio: number;
    limit: number;
    ok: boolean;
    withinGoal: boolean;
}

export function speedVerdict(timings: Timings, goal = GOAL, tolerance = TOLERANCE): SpeedVerdict {
    const ratio = Math.min(...timings.plan) / Math.min(...timings.providers);
    const limit = goal * (1 + tolerance);
    return { ratio, limit, ok: ratio <= limit, withinGoal: ratio <= goal };
}

export function renderSpeed(stack: string, timings: Timings, verdict: SpeedVerdict): string {
    const line = (label: string, runs: number[]) =>
        `${label}: min ${Math.min(...runs).toFixed(2)} s, median ${median(runs).toFixed(2)} s over ${runs.length} runs`;
    return [
        line(`plan of ${stack}`, timings.plan),
        line("providers' import", timings.providers),
        `ratio (min over min): ${verdict.ratio.toFixed(2)}x; goal ${GOAL}x, fails above ${verdict.limit.toFixed(2)}x: ` +
            (verdict.ok ? (verdict.withinGoal ? "ok" : "ok within the tolerance") : "TOO SLOW"),
    ].join("\n");
}
