import * as fs from "fs";
import { planStack, planStackFile, StackPlan } from "../../offline/harness";
import { readStackFile } from "../../stacks/config";

/** Stack files in the repository, each planned once per test run and shared by the tests that only read it. */
export const STACK_FILES = fs.readdirSync(".").filter((f) => /^Pulumi\..+\.yaml$/.test(f)).sort();

const cache = new Map<string, Promise<StackPlan>>();

export function planOf(file: string): Promise<StackPlan> {
    let plan = cache.get(file);
    if (!plan) {
        plan = planStackFile(file);
        cache.set(file, plan);
    }
    return plan;
}

/**
 * The production stack file with larger API servers and AWS's deletion protection off: one variant
 * that the sizing and the destroy tests share (each plan costs seconds).
 */
export const PROD_VARIANT = {
    publicApi: { instanceType: "c6i.xlarge" }, internalApi: { instanceType: "m6i.2xlarge" }, deletionProtection: false,
};

let variant: Promise<StackPlan> | undefined;
export function planOfProdVariant(): Promise<StackPlan> {
    variant ??= planVariant("Pulumi.prod.yaml", PROD_VARIANT);
    return variant;
}

/**
 * A stack file with some `tracardi:` keys replaced (objects merge key by key, as in a stack file),
 * and secret keys added, planned fresh.
 */
export function planVariant(file: string, changes: Record<string, unknown>, stack = "variant", secrets: Record<string, string> = {}): Promise<StackPlan> {
    const config = readStackFile(file);
    const values = { ...config.values };
    for (const [key, value] of Object.entries(secrets)) {
        values[`tracardi:${key}`] = value;
    }
    for (const [key, value] of Object.entries(changes)) {
        const fullKey = `tracardi:${key}`;
        const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
        const merged = isObject && values[fullKey] !== undefined ? { ...JSON.parse(values[fullKey]), ...value } : value;
        values[fullKey] = typeof merged === "string" ? merged : JSON.stringify(merged);
    }
    return planStack({ values, secretKeys: [...config.secretKeys, ...Object.keys(secrets).map((k) => `tracardi:${k}`)] }, stack);
}

/** The VM stack with an Elastic Cloud deployment for search instead of servers of its own (README, "Search on EC2 servers"). */
export const VM_ELASTIC_CLOUD = {
    elasticsearch: {
        provider: "external",
        cloudId: "tracardi-prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbzo0NDMkMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYkZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
        username: "tracardi",
    },
};
export const VM_ELASTIC_CLOUD_SECRETS = { elasticsearchPassword: "offline-placeholder-for-elasticsearchPassword" };

/** Stack files that run on EKS (compute eks, the default): the ones with Kubernetes objects and pods. */
export const EKS_STACK_FILES = STACK_FILES.filter((file) => readStackFile(file).values["tracardi:compute"] !== "vm");
export const VM_STACK_FILES = STACK_FILES.filter((file) => !EKS_STACK_FILES.includes(file));
