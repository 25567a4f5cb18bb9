import * as pulumi from "@pulumi/pulumi";

/** One mistake in a stack file, phrased for the person who edits it. */
export interface ConfigProblem {
    /** Config key under the `tracardi:` namespace, with a dotted path inside objects. */
    key: string;
    /** What is wrong, in words. */
    reason: string;
    /** What the stack file holds at that key (undefined when the key is missing). */
    given?: unknown;
    /** What would be accepted. */
    allowed?: string;
}

export const NAMESPACE = "tracardi";

function show(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(problem: ConfigProblem): string {
    const parts = [`given ${show(problem.given)}`];
    if (problem.allowed) {
        parts.push(`allowed: ${problem.allowed}`);
    }
    return `${NAMESPACE}:${problem.key}: ${problem.reason} (${parts.join("; ")})`;
}

/**
 * Every problem found in a stack configuration. A RunError, so `pulumi up` prints the message
 * without a stack trace: the mistake is the user's, not the program's.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: ConfigProblem[], source = "stack configuration") {
        super(
            `${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
            problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
