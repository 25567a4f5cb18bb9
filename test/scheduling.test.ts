import * as assert from "assert";
import { apiPodBudget, workerRequests } from "../lib/manifests";
import { nodeModel, POD_HEADROOM } from "../lib/nodeModel";
import { DEFAULT_RELEASE, RELEASES } from "../lib/releases";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { ofType } from "../offline/query";
import { checkScheduling, placeAll, PodSet, rollout, Server, serverLost, serviceCoverage } from "../offline/scheduling";
import { EKS_STACK_FILES, planOf, planOfProdVariant } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const server = (name: string, instanceType: string, zone: string, tier: string): Server => ({
    name, group: tier, zone, model: nodeModel(instanceType)!,
    labels: { "tracardi.io/tier": tier, "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone },
    taints: [{ key: "tracardi.io/tier", value: tier, effect: "NoSchedule" }],
});
const tierPods = (tier: string, replicas: number, memoryMiB: number, changes: Partial<PodSet> = {}): PodSet => ({
    name: tier, kind: "Deployment", replicas, requests: { cpuMillis: 500, memoryMiB },
    labels: { "app.kubernetes.io/component": tier }, nodeSelector: { "tracardi.io/tier": tier },
    tolerations: [{ key: "tracardi.io/tier", operator: "Equal", value: tier, effect: "NoSchedule" }],
    antiAffinity: { "app.kubernetes.io/component": tier }, strategy: { maxSurge: 0, maxUnavailable: 1 }, ...changes,
});
const deployment = (plan: StackPlan, component: string) => ofType(plan.resources, "kubernetes:apps/v1:Deployment")
    .find((d) => (d.inputs.metadata as Obj).name === component)!;

describe("scheduling check: every pod placed on the servers its node groups start", () => {
    for (const file of EKS_STACK_FILES) {
        it(`${file}: every pod fits with all servers up, through every rollout, and with any one server lost`, async () => {
            const { problems } = checkScheduling((await planOf(file)).resources);
            assert.deepStrictEqual(problems, []);
        });
    }

    it("production with API servers c6i.xlarge and m6i.2xlarge: pods sized by the node model fit", async () => {
        const plan = await planOfProdVariant();
        assert.deepStrictEqual([plan.spec.publicApi.instanceType, plan.spec.internalApi!.instanceType], ["c6i.xlarge", "m6i.2xlarge"]);
        const report = checkScheduling(plan.resources);
        assert.deepStrictEqual(report.problems, []);
        const group = report.usage.find((u) => u.group.endsWith("-public-api-ng"))!;
        assert.strictEqual(group.instanceType, "c6i.xlarge");
        assert.deepStrictEqual(group.headroom, { ...POD_HEADROOM, pods: 58 - 4 }, "the public API pod takes what its server leaves but the headroom");
    });

    for (const instanceType of ["c6i.xlarge", "m6i.2xlarge", "r6i.large", "m6i.large"]) {
        it(`${instanceType}: a GUI-facing API pod and both workers fit one server, and two servers survive losing one`, () => {
            const servers = ["a", "b"].map((z, i) => server(`internal-api/${i}`, instanceType, z, "internal-api"));
            const workers = workerRequests(RELEASES[DEFAULT_RELEASE]);
            const api = tierPods("internal-api", 2, apiPodBudget(servers[0].model, workers).memoryMiB);
            const sets = [api, ...workers.map((requests, i): PodSet => ({
                ...tierPods("internal-api", 1, 0), name: `worker-${i}`, requests, labels: { "app.kubernetes.io/component": `worker-${i}` }, antiAffinity: undefined,
            }))];
            const steady = placeAll(sets, servers);
            assert.deepStrictEqual(steady.problems, []);
            assert.deepStrictEqual(serverLost("internal-api", servers, steady.placements), []);
        });
    }

    it("an API pod sized as nominal memory less a flat 1200 MiB stays Pending on a c6i.xlarge", () => {
        const servers = ["a", "b", "c"].map((z, i) => server(`public-api/${i}`, "c6i.xlarge", z, "public-api"));
        const { problems } = placeAll([tierPods("public-api", 3, 8192 - 1200)], servers);
        assert.strictEqual(problems.length, 3);
        assert.match(problems[0].reason, /stays Pending: .*memory 6992Mi > 6480Mi left/);
    });

    it("a rollout that must surge beside one pod per server never finishes; one that replaces in place does", () => {
        const servers = ["a", "b"].map((z, i) => server(`gui/${i}`, "t3.medium", z, "gui"));
        const steady = placeAll([tierPods("gui", 2, 128)], servers).placements;
        const surging = tierPods("gui", 2, 128, { strategy: { maxSurge: 1, maxUnavailable: 0 } });
        const stuck = rollout(surging, servers, steady.map((p) => ({ ...p, set: surging })));
        assert.match(stuck[0]?.reason ?? "", /stuck with 2 old and 0 new pods: .*anti-affinity/);
        const inPlace = tierPods("gui", 2, 128);
        assert.deepStrictEqual(rollout(inPlace, servers, steady.map((p) => ({ ...p, set: inPlace }))), []);
    });

    it("every GUI-facing API server keeps room for all the release's workers, so a lost server's workers move", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const report = checkScheduling(prod.resources);
        assert.deepStrictEqual(report.problems.filter((p) => p.scenario.includes("internal-api")), []);
        const memory = (name: string) => Number(((deployment(prod, name).inputs.spec as Obj).template.spec.containers[0].resources.requests.memory as string).replace("Mi", ""));
        const internal = report.usage.find((u) => u.group.endsWith("-internal-api-ng"))!;
        // The busiest server runs the API and one worker, and has room left for the other one.
        assert.ok(internal.headroom.memoryMiB >= Math.min(memory("apm"), memory("update-worker")));
        assert.strictEqual(memory("internal-api") + memory("apm") + memory("update-worker") + POD_HEADROOM.memoryMiB,
            nodeModel(prod.spec.internalApi!.instanceType)!.free.memoryMiB);
    });

    it("workers that outgrow what the API server kept for them are caught when a server is lost", () => {
        const servers = ["a", "b"].map((z, i) => server(`internal-api/${i}`, "m6i.large", z, "internal-api"));
        const free = servers[0].model.free.memoryMiB;
        const api = tierPods("internal-api", 2, free - 1000);
        const worker = (name: string): PodSet => ({ ...tierPods("internal-api", 1, 900), name, labels: { "app.kubernetes.io/component": name }, antiAffinity: undefined });
        const steady = placeAll([api, worker("apm"), worker("update-worker")], servers);
        assert.deepStrictEqual(steady.problems, [], "each worker fits beside one API pod");
        const lost = serverLost("internal-api", servers, steady.placements);
        assert.match(lost[0]?.reason ?? "", /cannot be placed again: .*memory 900Mi > 100Mi left/);
    });

    it("a tier whose pods may share a server leaves a server failing its load balancers' health check", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const resources: RecordedResource[] = prod.resources.map((r) => {
            if (r !== deployment(prod, "gui")) {
                return r;
            }
            const copy = JSON.parse(JSON.stringify(r)) as RecordedResource;
            const pod = (copy.inputs.spec as Obj).template.spec;
            pod.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0] }] } };
            return copy;
        });
        const { problems } = checkScheduling(resources);
        assert.deepStrictEqual(problems.map((p) => [p.podSet, p.reason]), [["gui", "its pods may share a server (no required anti-affinity per server): another server then fails the health check"]]);
        assert.deepStrictEqual(serviceCoverage(prod.resources, [], []), []);
    });

    it("reports per node group what a server offers, what its pods take and what is left", async () => {
        const { usage } = checkScheduling((await planOf("Pulumi.prod.yaml")).resources);
        const search = usage.filter((u) => u.group.includes("-search-"));
        assert.strictEqual(search.length, 3);
        for (const group of usage) {
            assert.deepStrictEqual(
                [group.placed.cpuMillis + group.headroom.cpuMillis, group.placed.memoryMiB + group.headroom.memoryMiB, group.placed.pods + group.headroom.pods],
                [group.allocatable.cpuMillis, group.allocatable.memoryMiB, group.allocatable.pods], group.group);
            assert.ok(group.headroom.memoryMiB >= 0 && group.headroom.cpuMillis >= 0, group.group);
        }
    });
});
