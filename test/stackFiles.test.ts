import * as assert from "assert";
import * as fs from "fs";
import { planOf, STACK_FILES } from "./helpers/plans";

describe("every stack file in the repository", () => {
    it("includes the production stack and a minimal-profile example", () => {
        assert.ok(STACK_FILES.includes("Pulumi.prod.yaml"));
        const minimal = STACK_FILES.filter((f) => /profile:\s*minimal/.test(fs.readFileSync(f, "utf8")));
        assert.ok(minimal.length >= 1, "no stack file uses the minimal profile");
    });

    for (const file of STACK_FILES) {
        it(`${file} builds under mocks with every resource under the deployment root`, async () => {
            const plan = await planOf(file);
            const roots = plan.resources.filter((r) => !r.parent);
            assert.deepStrictEqual(roots.map((r) => r.type), ["tracardi:index:Deployment"]);
            const urns = new Set(plan.resources.map((r) => r.urn));
            assert.deepStrictEqual(plan.resources.filter((r) => r.parent && !urns.has(r.parent)).map((r) => r.name), [],
                "resources whose parent was never registered");
            assert.ok(plan.resources.filter((r) => r.custom).length > 100);
        });

        it(`${file}: every load balancer and target group name fits AWS's 32 characters`, async () => {
            // Pulumi's auto-naming adds "-" and 7 characters to the resource's name (mocks.ts autoName).
            const long = (await planOf(file)).resources
                .filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer" || r.type === "aws:lb/targetGroup:TargetGroup")
                .map((r) => String(r.inputs.name ?? `${r.name}-xxxxxxx`)).filter((name) => name.length > 32);
            assert.deepStrictEqual(long, []);
        });
    }
});
