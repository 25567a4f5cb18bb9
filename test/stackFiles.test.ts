import * as assert from "assert";
import * as fs from "fs";
import { planStackFile } from "../offline/harness";

const stackFiles = fs.readdirSync(".").filter((f) => /^Pulumi\..+\.yaml$/.test(f));

describe("every stack file in the repository", () => {
    it("includes the production stack and a minimal-profile example", () => {
        assert.ok(stackFiles.includes("Pulumi.prod.yaml"));
        const minimal = stackFiles.filter((f) => /profile:\s*minimal/.test(fs.readFileSync(f, "utf8")));
        assert.ok(minimal.length >= 1, "no stack file uses the minimal profile");
    });

    for (const file of stackFiles) {
        it(`${file} builds under mocks with every resource under the deployment root`, async () => {
            const plan = await planStackFile(file);
            const roots = plan.resources.filter((r) => !r.parent);
            assert.deepStrictEqual(roots.map((r) => r.type), ["tracardi:index:Deployment"]);
            assert.ok(plan.resources.filter((r) => r.custom).length > 20);
        });
    }
});
