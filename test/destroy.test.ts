import * as assert from "assert";
import * as fs from "fs";
import { ofType } from "../offline/query";
import { planOf, planOfProdVariant, STACK_FILES } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The `type` tokens README's "Destroying a stack" names as protected. */
function protectedInReadme(): string[] {
    const readme = fs.readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Destroying a stack"));
    const list = section.slice(0, section.indexOf("\n## ", 4));
    return [...list.matchAll(/`((?:aws|kubernetes|random):[^`]+)`/g)].map((m) => m[1]);
}

describe("destroying a stack, as README describes it", () => {
    it("README names every resource type the program protects, and nothing else", async () => {
        const protectedTypes = new Set<string>();
        for (const file of STACK_FILES) {
            for (const r of (await planOf(file)).resources.filter((x) => x.protect)) {
                protectedTypes.add(r.type);
            }
        }
        assert.deepStrictEqual([...new Set(protectedInReadme())].sort(), [...protectedTypes].sort());
    });

    it("deletionProtection: false takes AWS's deletion protection off the load balancers and MySQL, and nothing else", async () => {
        const plan = await planOfProdVariant();
        assert.strictEqual(plan.spec.deletionProtection, false);
        for (const lb of ofType(plan.resources, "aws:lb/loadBalancer:LoadBalancer")) {
            assert.strictEqual((lb.inputs as Obj).enableDeletionProtection, false);
        }
        assert.strictEqual((ofType(plan.resources, "aws:rds/instance:Instance")[0].inputs as Obj).deletionProtection, false);
        // Pulumi's own protection stays: stateful resources are unprotected by hand, one command per stack.
        assert.ok(ofType(plan.resources, "aws:rds/instance:Instance")[0].protect);
        const prod = await planOf("Pulumi.prod.yaml");
        assert.ok(ofType(prod.resources, "aws:lb/loadBalancer:LoadBalancer").every((lb) => (lb.inputs as Obj).enableDeletionProtection === true));
    });

    it("the access-log bucket empties itself on destroy; the snapshot bucket never does", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const buckets = ofType(prod.resources, "aws:s3/bucket:Bucket");
        const logs = buckets.find((b) => b.name.endsWith("-lb-logs"))!;
        const snapshots = buckets.find((b) => b.name.endsWith("-snapshots"))!;
        assert.strictEqual((logs.inputs as Obj).forceDestroy, true);
        assert.ok(!(snapshots.inputs as Obj).forceDestroy && snapshots.protect);
    });
});
