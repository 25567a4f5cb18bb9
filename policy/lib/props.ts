import type {
    PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidation, ResourceValidationArgs,
} from "@pulumi/policy";

/**
 * Readers over resource properties as policies receive them: plain JSON-like values whose shape
 * the pack does not trust, so every reader tolerates a missing or mistyped field.
 */

export type Plain = Record<string, unknown>;

export function record(value: unknown): Plain {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Plain) : {};
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

export function records(value: unknown): Plain[] {
    return list(value).map(record);
}

export function text(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function texts(value: unknown): string[] {
    return list(value).filter((v): v is string => typeof v === "string");
}

/** Dotted path into nested objects: `at(props, "metadataOptions.httpTokens")`. */
export function at(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => record(node)[key], value);
}

/** The AWS provider takes some booleans as strings ("true"). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

export function tagsOf(props: Plain): Record<string, string> {
    return Object.fromEntries(Object.entries(record(props.tags)).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** Which tier a load-balancer resource or security group serves (tag `tracardi:tier`, as on the VM tiers' groups). */
export const TIER_TAG = "tracardi:tier";

export function clusterOf(props: Plain): string | undefined {
    return tagsOf(props)[TIER_TAG];
}

/**
 * A value that may be unknown during a preview (computed by a resource not created yet), or
 * undefined when it is: the SDK's property proxy throws its UnknownValueError on reading one.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (err) {
        if (err instanceof Error && err.constructor.name === "UnknownValueError") {
            return undefined;
        }
        throw err;
    }
}

/** A policy's config: the pack config's values over its schema's defaults. */
export function settings<T>(schema: PolicyConfigSchema, args: { getConfig<U extends object>(): U }): T {
    const defaults = Object.fromEntries(Object.entries(schema.properties)
        .filter(([, p]) => p.default !== undefined)
        .map(([key, p]) => [key, p.default]));
    return { ...defaults, ...args.getConfig<object>() } as T;
}

export type Validate = (props: Plain, args: ResourceValidationArgs, report: ReportViolation) => void;

/**
 * A resource validation for the listed type tokens only. Matching tokens (not provider classes)
 * keeps the pack free of @pulumi/aws and @pulumi/kubernetes.
 */
export function forTypes(types: readonly string[], validate: Validate): ResourceValidation {
    return (args, report) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`applies to ${types.join(", ")}`);
        }
        validate(args.props, args, report);
    };
}

/** A resource validation with a check of its own for each type token: forTypes over the handlers' tokens. */
export function byType(handlers: Record<string, Validate>): ResourceValidation {
    return forTypes(Object.keys(handlers), (props, args, report) => handlers[args.type](props, args, report));
}

/** A readable reference to a resource in a message. */
export function describe(resource: { type: string; name: string }): string {
    return `${resource.type.split(":").pop()} ${resource.name}`;
}

export function ofTypes(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}
