import type {
    EnforcementLevel, Policies, Policy, PolicyResource, PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { policies as packPolicies } from "../policy/policies";
import type { StackPlan } from "./harness";
import { mocks, RecordedResource } from "./mocks";
import { withoutStackTraces } from "./promiseTraces";

/**
 * The policy pack, run in-process over what a stack registered under mocks: the same calls the
 * Pulumi engine makes (every resource policy on every resource's inputs, every stack policy on
 * all resources' outputs), without constructing the PolicyPack, whose constructor starts a server.
 */

export interface Verdict {
    policy: string;
    level: "mandatory" | "advisory";
    /** URN of the resource at fault; absent when the stack as a whole is. */
    resource?: string;
    message: string;
}

/** Pack config in the shape `pulumi preview --policy-pack-config <file>` takes. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface RunOptions {
    /** @default every policy of the pack */
    policies?: Policies;
    /** @default {} (every policy at its own level with its schema's defaults) */
    config?: PackConfig;
}

class NotApplicable extends Error {}

// Thrown for most resources by most policies: no stack trace to build (a plan throws thousands).
const notApplicable = withoutStackTraces((reason?: string): never => {
    throw new NotApplicable(reason);
});

function levelOf(policy: Policy, config: PackConfig): EnforcementLevel {
    const entry = config[policy.name];
    const level = typeof entry === "string" ? entry : entry?.enforcementLevel;
    // The SDK's default for a policy that names no level.
    return level ?? policy.enforcementLevel ?? "advisory";
}

/** What `args.getConfig()` returns: the pack config's values. Each policy fills in its schema's defaults (settings()). */
function configOf(policy: Policy, config: PackConfig): object {
    const entry = config[policy.name];
    const values = typeof entry === "object" ? { ...entry } : {};
    delete values.enforcementLevel;
    return values;
}

function optionsOf(resource: RecordedResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: resource.ignoreChanges,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: resource.parent,
    };
}

/** `isType` / `asType` as the SDK implements them: by the class's Pulumi type token. */
function typeChecks(type: string, props: Record<string, unknown>) {
    const matches = (cls: object) => (cls as { __pulumiType?: string }).__pulumiType === type;
    // Resource and stack args declare different return types for asType; both hand back the props.
    return { isType: matches, asType: ((cls: object) => (matches(cls) ? props : undefined)) as never };
}

/**
 * Outputs as the engine hands them to stack policies: what the mocks return for the resource
 * (its inputs plus the values AWS would compute) and its id. Components have no outputs of note.
 */
async function outputsOf(resource: RecordedResource): Promise<Record<string, unknown>> {
    if (!resource.custom) {
        return resource.inputs;
    }
    const { state } = await Promise.resolve(mocks.newResource({
        type: resource.type, name: resource.name, inputs: resource.inputs, custom: true, provider: resource.provider,
    }));
    return { ...state, id: resource.id };
}

async function stackResources(resources: RecordedResource[]): Promise<PolicyResource[]> {
    const views = await Promise.all(resources.map(async (r): Promise<PolicyResource> => {
        const props = await outputsOf(r);
        return {
            type: r.type, props, urn: r.urn, name: r.name, opts: optionsOf(r),
            dependencies: [], propertyDependencies: {}, ...typeChecks(r.type, props),
        };
    }));
    const byUrn = new Map(views.map((v) => [v.urn, v]));
    resources.forEach((r, i) => {
        views[i].parent = r.parent ? byUrn.get(r.parent) : undefined;
        views[i].dependencies = r.dependsOn.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
    });
    return views;
}

/** Runs one validation; a policy that declares itself not applicable reports nothing. */
async function runValidation(validate: () => void | Promise<void>): Promise<void> {
    try {
        await validate();
    } catch (err) {
        if (!(err instanceof NotApplicable)) {
            throw err;
        }
    }
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
    return (policy as ResourceValidationPolicy).validateResource !== undefined;
}

/** Runs the pack over a stack's resources and returns every violation, in policy order. */
export async function runPolicies(resources: RecordedResource[], options: RunOptions = {}): Promise<Verdict[]> {
    const policies = options.policies ?? packPolicies;
    const config = options.config ?? {};
    const unknown = Object.keys(config).filter((name) => !policies.some((p) => p.name === name));
    if (unknown.length > 0) {
        throw new Error(`the pack config names unknown policies: ${unknown.join(", ")}`);
    }
    const verdicts: Verdict[] = [];
    // Built when the first stack policy runs: it asks the mocks for every resource's outputs, which resource policies never read.
    let stack: PolicyResource[] | undefined;
    for (const policy of policies) {
        const enforcement = levelOf(policy, config);
        if (enforcement === "disabled") {
            continue;
        }
        const level = enforcement === "advisory" ? "advisory" : "mandatory";
        const getConfig = <T extends object>() => configOf(policy, config) as T;
        if (isResourcePolicy(policy)) {
            const validations = [policy.validateResource ?? []].flat();
            for (const r of resources) {
                const report = (message: string) => verdicts.push({ policy: policy.name, level, resource: r.urn, message });
                const args: ResourceValidationArgs = {
                    type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: optionsOf(r), stackTags: new Map<string, string>(),
                    getConfig, notApplicable, ...typeChecks(r.type, r.inputs),
                };
                for (const validate of validations) {
                    await runValidation(() => validate(args, report));
                }
            }
        } else {
            const report = (message: string, urn?: string) => verdicts.push({ policy: policy.name, level, resource: urn, message });
            stack ??= await stackResources(resources);
            const args = { resources: stack, stackTags: new Map<string, string>(), getConfig, notApplicable };
            await runValidation(() => (policy as StackValidationPolicy).validateStack(args, report));
        }
    }
    return verdicts;
}

export function runPlanPolicies(plan: StackPlan, config?: PackConfig): Promise<Verdict[]> {
    return runPolicies(plan.resources, { config });
}

export function mandatoryViolations(verdicts: Verdict[]): Verdict[] {
    return verdicts.filter((v) => v.level === "mandatory");
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` -> `<type> <name>`. */
function resourceLabel(urn: string): string {
    const [, , typeChain, ...name] = urn.split("::");
    return `${typeChain.split("$").pop()} ${name.join("::")}`;
}

/** Verdicts as `npm run policy` and the offline plan print them. */
export function renderVerdicts(verdicts: Verdict[]): string {
    if (verdicts.length === 0) {
        return "Policies: no violations";
    }
    const count = (level: Verdict["level"]) => verdicts.filter((v) => v.level === level).length;
    return [
        `Policies: ${count("mandatory")} mandatory violation(s), ${count("advisory")} advisory`,
        ...verdicts.map((v) => `  [${v.level}] ${v.policy}${v.resource ? ` (${resourceLabel(v.resource)})` : ""}: ${v.message}`),
    ].join("\n");
}
