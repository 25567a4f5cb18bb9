import * as assert from "assert";
import { DatabaseVersion } from "../components/databaseVersion";
import { migrationProblem, RELEASES } from "../lib/releases";
import { recordResources } from "../offline/harness";
import { ofType } from "../offline/query";
import { renderPlan } from "../offline/report";
import { readStackFile, tracardiValues } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { mergeDefaults, parseSpec } from "../stacks/spec";
import { planOf } from "./helpers/plans";

const guardOf = async (args: ConstructorParameters<typeof DatabaseVersion>[1]) =>
    ofType((await recordResources(() => new DatabaseVersion("db", args))).resources, "random:index/randomId:RandomId")[0];

describe("a new database version never arrives by accident", () => {
    it("each release names its database version; 0.9.0 and 1.0.0 share 09x", () => {
        assert.deepStrictEqual(Object.fromEntries(Object.entries(RELEASES).map(([tag, r]) => [tag, r.databaseVersion])), { "0.9.0": "09x", "1.0.0": "09x" });
    });

    it("the guard is protected and keyed on the database version; a declared migration lifts the protection", async () => {
        const guard = await guardOf({ databaseVersion: "09x" });
        assert.strictEqual(guard.protect, true);
        assert.deepStrictEqual(guard.inputs.keepers, { databaseVersion: "09x" });
        const migrating = await guardOf({ databaseVersion: "10x", migrating: true });
        assert.strictEqual(migrating.protect, false, "a declared migration must be able to replace the guard in the same run");
    });

    it("the stack's guard carries its release's database version and comes before the workloads", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const guard = prod.resources.find((r) => r.type === "random:index/randomId:RandomId" && r.name.endsWith("-database-guard"))!;
        assert.deepStrictEqual([guard.inputs.keepers, guard.protect], [{ databaseVersion: RELEASES[prod.spec.version].databaseVersion }, true]);
        const namespace = ofType(prod.resources, "kubernetes:core/v1:Namespace")[0];
        assert.ok(namespace.dependsOn.includes(guard.urn), "the workloads do not wait for the guard");
        assert.match(renderPlan(prod).split("\n")[0], /Tracardi 1\.0\.0 \(database 09x\)/);
    });

    it("upgradeFrom declares a migration between two database versions, and only that", () => {
        const releases = { ...RELEASES, "2.0.0": { ...RELEASES["1.0.0"], tag: "2.0.0", databaseVersion: "20x" } };
        assert.strictEqual(migrationProblem("1.0.0", "2.0.0", releases), undefined);
        assert.match(migrationProblem("0.9.0", "1.0.0", releases)!, /uses database 09x, as 1\.0\.0 does: there is nothing to migrate/);
        const raw = mergeDefaults(tracardiValues(readStackFile("Pulumi.prod.yaml")), { upgradeFrom: "0.9.0" });
        delete raw.elasticsearchPassword;
        try {
            parseSpec(raw);
            assert.fail("upgradeFrom between releases of one database version was accepted");
        } catch (err) {
            assert.ok(err instanceof ConfigError);
            assert.deepStrictEqual(err.problems.map((p) => [p.key, p.given]), [["upgradeFrom", "0.9.0"]]);
            assert.match(err.message, /tracardi:upgradeFrom: uses database 09x, as 1\.0\.0 does/);
        }
    });
});
