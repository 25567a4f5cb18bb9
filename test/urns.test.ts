import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { planOf, STACK_FILES } from "./helpers/plans";

/**
 * Every resource of every stack file keeps its URN: a changed URN is a resource Pulumi deletes and
 * creates anew (load balancers, node groups, data stores) unless the change carries an alias. The
 * lists are committed; after an intended change, `UPDATE_URNS=1 npm test` rewrites them and the diff
 * shows what moved.
 */
const DIR = path.join("test", "urns");

describe("URNs of every deployed resource stay where they are", () => {
    for (const file of STACK_FILES) {
        it(`${file}: the same URNs as committed in test/urns`, async () => {
            const urns = (await planOf(file)).resources.map((r) => r.urn).sort();
            const committed = path.join(DIR, `${path.basename(file, ".yaml")}.txt`);
            if (process.env.UPDATE_URNS === "1") {
                fs.writeFileSync(committed, `${urns.join("\n")}\n`);
            }
            const expected = fs.readFileSync(committed, "utf8").trim().split("\n");
            const gone = expected.filter((u) => !urns.includes(u));
            const added = urns.filter((u) => !expected.includes(u));
            assert.deepStrictEqual({ gone, added }, { gone: [], added: [] },
                "resources would be deleted and created anew: give moved ones an alias, or run UPDATE_URNS=1 npm test for an intended change");
        });
    }
});
