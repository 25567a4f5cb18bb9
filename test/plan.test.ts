import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { RELEASES } from "../lib/releases";
import type { StackPlan } from "../offline/harness";
import { countsByComponent, engineReport, renderPlan, tierRows } from "../offline/report";
import { PROFILE_DEFAULTS } from "../stacks/profiles";
import { planOf } from "./helpers/plans";
import { runPlan, stackReview } from "../offline/commands";
import { readStackFile } from "../stacks/config";
import { runPlanPolicies } from "../offline/policyRunner";
import { Run, runTs, STACK_FRAME } from "./helpers/runTs";

type Plain = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The `config:` block of a stack file, read directly rather than through the program. */
const stackFile = (file: string): Plain => parseYaml(fs.readFileSync(file, "utf8")).config;

describe("the offline plan as people read it", () => {
    let prod: StackPlan;
    let small: StackPlan;
    before(async () => {
        // One at a time: the mocks record into one list.
        prod = await planOf("Pulumi.prod.yaml");
        small = await planOf("Pulumi.small.yaml");
    });

    it("prod: the public API open to the Internet for collection, the internal API and GUI to trusted networks only", () => {
        const file = stackFile("Pulumi.prod.yaml");
        const dns = file["tracardi:dns"];
        const trusted = `trusted networks (${file["tracardi:trustedCidrs"].join(", ")})`;
        const tier = (key: string) => ({ instances: file[key].instances, instanceType: file[key].instanceType });
        const search = file["tracardi:elasticsearch"];
        const rows = tierRows(prod);
        assert.match(rows[3].tier, new RegExp(`^Elasticsearch ${search.version.replace(/\./g, "\\.")} \\(${search.provider}`, "i"));
        assert.deepStrictEqual(rows, [
            { tier: "public API (collector, EXPOSE_GUI_API=no)", ...tier("tracardi:publicApi"), workers: file["tracardi:publicApi"].workers,
                host: dns.publicApiHost, reachableFrom: "the Internet, collector paths only" },
            { tier: "internal API (GUI-facing, EXPOSE_GUI_API=yes)", ...tier("tracardi:internalApi"), workers: file["tracardi:internalApi"].workers,
                host: dns.internalApiHost, reachableFrom: trusted },
            { tier: "GUI", ...tier("tracardi:gui"), host: dns.guiHost, reachableFrom: trusted },
            { tier: rows[3].tier, instances: search.nodes, instanceType: search.instanceType, host: "(inside the cluster)", reachableFrom: "the API tiers only" },
        ]);
    });

    it("small: one API cluster for collection and the GUI, sized by the minimal profile", () => {
        const file = stackFile("Pulumi.small.yaml");
        const defaults = PROFILE_DEFAULTS.minimal as Plain;
        const trusted = `trusted networks (${file["tracardi:trustedCidrs"].join(", ")})`;
        const rows = tierRows(small);
        assert.deepStrictEqual(rows.slice(0, 2).map((r) => r.tier), ["API (collector and GUI-facing)", "GUI"]);
        assert.match(rows[2].tier, new RegExp(`^Elasticsearch ${defaults.elasticsearch.version.replace(/\./g, "\\.")} \\(eck`, "i"));
        assert.deepStrictEqual(rows.map((r) => [r.instances, r.host]), [
            [defaults.publicApi.instances, file["tracardi:dns"].publicApiHost],
            [defaults.gui.instances, file["tracardi:dns"].guiHost],
            [defaults.elasticsearch.nodes, "(inside the cluster)"],
        ]);
        assert.strictEqual(rows[0].reachableFrom, `the Internet for collector paths; ${trusted} for the rest`);
        assert.strictEqual(rows[1].reachableFrom, trusted);
    });

    for (const stack of ["prod", "small"]) {
        it(`${stack}: prints the stack's summary, a line per tier and resource counts that add up`, () => {
            const plan = stack === "prod" ? prod : small;
            const lines = renderPlan(plan).split("\n");
            const { spec } = plan;
            assert.strictEqual(lines[0], `Stack ${stack}: Tracardi ${spec.version} (database ${RELEASES[spec.version].databaseVersion}), ` +
                `${spec.profile} profile, ${spec.compute} compute, ` +
                `${spec.network.availabilityZones} availability zones, ${spec.loadBalancers.perCluster} load balancer(s) per cluster`);
            for (const row of tierRows(plan)) {
                assert.ok(lines.some((l) => l.startsWith(row.tier) && l.includes(` ${row.instances} `) && l.includes(row.host) && l.endsWith(row.reachableFrom)),
                    `no line for ${row.tier}`);
            }
            const custom = plan.resources.filter((r) => r.custom).length;
            let counted = 0;
            for (const [component, count] of countsByComponent(plan.resources)) {
                assert.ok(lines.some((l) => new RegExp(`^${component.replace(/[().*+?[\]]/g, "\\$&")} +${count}$`).test(l)), `no count for ${component}`);
                counted += count;
            }
            assert.strictEqual(counted, custom);
            assert.strictEqual(lines[lines.length - 1], `${custom} cloud resources in ${plan.resources.length - custom} components`);
        });
    }
});

describe("npm run plan -- <stack>", function () {
    this.timeout(60000);
    // The script reads Pulumi.<stack>.yaml from, and writes plan/ to, its working directory.
    let dir: string;
    let good: Run;
    let bad: Run;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracardi-plan-"));
        fs.copyFileSync("Pulumi.prod.yaml", path.join(dir, "Pulumi.prod.yaml"));
        const broken = parseYaml(fs.readFileSync("Pulumi.prod.yaml", "utf8"));
        broken.config["tracardi:publicApi"].instances = 1;
        broken.config["tracardi:trustedCidrs"] = ["0.0.0.0/0"];
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), stringifyYaml(broken));
        // One run through the real script and process exit code; the refusal in-process.
        good = await runTs("scripts/plan.ts", ["prod"], { cwd: dir });
        bad = { code: null, stdout: "", stderr: "" };
        bad.code = await runPlan("broken", {
            cwd: dir, out: (line) => (bad.stdout += `${line}\n`), err: (line) => (bad.stderr += `${line}\n`),
        });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("plans prod: prints a short summary and writes plan/prod/, the same bytes on every run", async () => {
        assert.strictEqual(good.code, 0, good.stderr);
        const plan = await planOf("Pulumi.prod.yaml");
        const verdicts = await runPlanPolicies(plan);
        const { files, summary } = await stackReview(plan, verdicts, engineReport(plan), readStackFile("Pulumi.prod.yaml").values["aws:region"]);
        const printed = good.stdout.trimEnd().split("\n");
        assert.deepStrictEqual(printed.slice(0, -1), summary.split("\n"));
        assert.strictEqual(printed[printed.length - 1], `wrote ${path.join("plan", "prod", "report.md")} (and report.json, resources.json, architecture.svg)`);
        // Two runs, the script's and this process's: byte-identical files.
        const out = path.join(dir, "plan", "prod");
        assert.deepStrictEqual(fs.readdirSync(out).sort(), Object.keys(files).sort());
        for (const [name, text] of Object.entries(files)) {
            assert.strictEqual(fs.readFileSync(path.join(out, name), "utf8"), text, `${name} differs between two runs`);
        }

        const document = JSON.parse(files["resources.json"]);
        assert.strictEqual(document.stack, "prod");
        assert.deepStrictEqual(document.policies, JSON.parse(JSON.stringify(verdicts)));
        assert.deepStrictEqual(document.spec, JSON.parse(JSON.stringify(plan.spec)));
        const names = new Set(document.resources.map((r: Plain) => r.name));
        for (const resource of document.resources) {
            assert.strictEqual(typeof resource.type, "string");
            assert.strictEqual(typeof resource.name, "string");
            assert.ok(resource.inputs && typeof resource.inputs === "object", `${resource.name} has no inputs`);
            assert.ok(resource.parent === undefined || names.has(resource.parent), `${resource.name}'s parent ${resource.parent} is not in the plan`);
            for (const dependency of resource.dependencies ?? []) {
                assert.ok(names.has(dependency), `${resource.name}'s dependency ${dependency} is not in the plan`);
            }
        }
        const key = (r: { type: string; name: string }) => `${r.type} ${r.name}`;
        assert.deepStrictEqual(document.resources.map(key).sort(), plan.resources.map(key).sort());
        assert.deepStrictEqual(document.resources.filter((r: Plain) => !r.parent).map((r: Plain) => r.type), ["tracardi:index:Deployment"]);
        const nodeGroup = document.resources.find((r: Plain) => r.name === "tracardi-public-api-ng");
        assert.ok(nodeGroup.dependencies.includes("tracardi-eks-cluster"), "a node group depends on its cluster");
    });

    it("refuses a bad stack file: exit 1, every problem with its key, no stack trace, no plan file", () => {
        assert.strictEqual(bad.code, 1);
        assert.strictEqual(bad.stdout, "");
        assert.doesNotMatch(bad.stderr, STACK_FRAME);
        const lines = bad.stderr.trim().split("\n");
        assert.match(lines[0], /^stack broken has \d+ problems:$/);
        assert.ok(lines.some((l) => /^ {2}- tracardi:publicApi\.instances: .*\(given 1; allowed: >= 3/.test(l)), bad.stderr);
        assert.ok(lines.some((l) => /^ {2}- tracardi:trustedCidrs\.0: .*whole Internet \(given "0\.0\.0\.0\/0"/.test(l)), bad.stderr);
        assert.ok(!fs.existsSync(path.join(dir, "plan", "broken")));
    });
});
