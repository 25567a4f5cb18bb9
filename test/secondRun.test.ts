import * as assert from "assert";
import { planStackFile } from "../offline/harness";
import { planOf } from "./helpers/plans";

describe("a second `pulumi up` of an unchanged stack", () => {
    it("gets the same resources with the same inputs: nothing in the program changes per run", async () => {
        // The minimal stack: the same components as production, planned in half the time.
        const first = await planOf("Pulumi.small.yaml");
        const second = await planStackFile("Pulumi.small.yaml");
        const shape = (plan: typeof first) => plan.resources.map((r) => [r.urn, JSON.stringify(r.inputs), r.dependsOn.join(",")]).sort();
        assert.deepStrictEqual(shape(second), shape(first));
    });
});
