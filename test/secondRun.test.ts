import * as assert from "assert";
import { planStackFile } from "../offline/harness";
import { planOf } from "./helpers/plans";

describe("a second `pulumi up` of an unchanged stack", () => {
    // The minimal stack (the same components as production, planned in half the time) and the VM
    // stack (servers' user data, search's certificates and launch templates).
    for (const file of ["Pulumi.small.yaml", "Pulumi.vm.yaml"]) {
        it(`${file}: gets the same resources with the same inputs: nothing in the program changes per run`, async () => {
            const first = await planOf(file);
            const second = await planStackFile(file);
            const shape = (plan: typeof first) => plan.resources.map((r) => [r.urn, JSON.stringify(r.inputs), r.dependsOn.join(",")]).sort();
            assert.deepStrictEqual(shape(second), shape(first));
        });
    }
});
