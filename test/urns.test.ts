import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { planOf, STACK_FILES } from "./helpers/plans";

/**
 * Every resource of every stack file keeps its URN: a changed URN is a resource Pulumi deletes and
 * creates anew (load balancers, node groups, data stores) unless the change carries an alias. The
 * lists are committed; a resource that moves with an alias naming its old URN passes. After an
 * intended change, `UPDATE_URNS=1 npm test` rewrites them and the diff shows what moved.
 */
const DIR = path.join("test", "urns");

describe("URNs of every deployed resource stay where they are", () => {
    for (const file of STACK_FILES) {
        it(`${file}: the same URNs as committed in test/urns`, async () => {
            const { resources } = await planOf(file);
            const urns = resources.map((r) => r.urn).sort();
            // A resource that moved keeps its old URN among its aliases: Pulumi moves it in the state.
            const aliased = new Set(resources.flatMap((r) => r.aliases));
            const committed = path.join(DIR, `${path.basename(file, ".yaml")}.txt`);
            if (process.env.UPDATE_URNS === "1") {
                fs.writeFileSync(committed, `${urns.join("\n")}\n`);
            }
            const expected = fs.readFileSync(committed, "utf8").trim().split("\n");
            const gone = expected.filter((u) => !urns.includes(u) && !aliased.has(u));
            const added = urns.filter((u) => !expected.includes(u) && !resources.find((r) => r.urn === u)!.aliases.some((a) => expected.includes(a)));
            assert.deepStrictEqual({ gone, added }, { gone: [], added: [] },
                "resources would be deleted and created anew: give moved ones an alias, or run UPDATE_URNS=1 npm test for an intended change");
        });
    }
});

describe("resources that moved", () => {
    it("the tiers' server security groups, made outside compute now, keep the URNs they had under their node groups", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        for (const tier of ["public-api", "internal-api", "gui"]) {
            const group = prod.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === `tracardi-${tier}-nodes`)!;
            assert.deepStrictEqual(group.aliases, [
                `urn:pulumi:prod::tracardi::tracardi:index:Deployment$tracardi:eks:NodeGroup$aws:ec2/securityGroup:SecurityGroup::tracardi-${tier}-nodes`,
            ]);
        }
    });
});
