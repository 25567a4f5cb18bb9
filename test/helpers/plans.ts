import * as fs from "fs";
import { planStackFile, StackPlan } from "../../offline/harness";

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
