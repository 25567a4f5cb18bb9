import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { RawConfig, readStackFile, runtimeConfig } from "../stacks/config";
import { deploy } from "../stacks/deploy";
import type { StackSpec } from "../stacks/schema";
import { clearRecordedResources, installMocks, RecordedResource, recordedInvokes, recordedResources } from "./mocks";

export interface StackPlan {
    stack: string;
    spec: StackSpec;
    resources: RecordedResource[];
    /** Invokes the program made (data-source look-ups), with their arguments. */
    invokes: { token: string; inputs: Record<string, unknown> }[];
    outputs: Record<string, unknown>;
    /** Outputs that are Pulumi secrets (shown as [secret] by `pulumi stack output`). */
    secretOutputs: string[];
}

// Internal to the SDK but exported: resolves once every registration under way has finished.
const waitForRPCs = (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((done) => output.apply((value) => done(value)));
}

/**
 * Runs a build, failing with the first error thrown inside an apply: under mocks such an error only
 * rejects a promise nobody awaits (the resources behind it are silently missing), where the engine
 * fails the whole `pulumi up`.
 */
async function failingOnApplyErrors<T>(build: () => Promise<T>): Promise<T> {
    const errors: unknown[] = [];
    const record = (err: unknown) => errors.push(err);
    process.on("unhandledRejection", record);
    try {
        const result = await build();
        await waitForRPCs();
        // Rejections are reported after the microtasks that produced them.
        await new Promise((done) => setImmediate(done));
        if (errors.length > 0) {
            throw errors[0];
        }
        return result;
    } finally {
        process.off("unhandledRejection", record);
    }
}

/**
 * Builds a stack under mocks from configuration as the Pulumi CLI passes it, through the same
 * path as index.ts, and returns every resource it registered.
 */
export async function planStack(config: RawConfig, stack: string): Promise<StackPlan> {
    clearRecordedResources();
    await installMocks(stack);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    return failingOnApplyErrors(async () => {
        const { spec, outputs } = deploy(runtimeConfig(), stack);
        const resolved: Record<string, unknown> = {};
        const secretOutputs: string[] = [];
        for (const [key, output] of Object.entries(outputs)) {
            resolved[key] = await resolve(output);
            if (await pulumi.isSecret(output)) {
                secretOutputs.push(key);
            }
        }
        // Every registration done before the resources are read.
        await waitForRPCs();
        return { stack, spec, resources: recordedResources(), invokes: recordedInvokes(), outputs: resolved, secretOutputs };
    });
}

/**
 * Runs any resource-building code under fresh mocks and returns what it registered: for focused
 * tests of one component.
 */
export async function recordResources<T>(build: () => T, stack = "test"): Promise<{ result: T; resources: RecordedResource[] }> {
    clearRecordedResources();
    await installMocks(stack);
    const result = await failingOnApplyErrors(async () => build());
    return { result, resources: recordedResources() };
}

/** `Pulumi.<stack>.yaml` -> `<stack>`. */
export function stackNameOf(file: string): string {
    return path.basename(file).replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
}

export function planStackFile(file: string): Promise<StackPlan> {
    return planStack(readStackFile(file), stackNameOf(file));
}
