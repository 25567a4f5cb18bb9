import * as assert from "assert";
import * as fs from "fs";
import { INSTANCE_TYPES, instanceCapacity } from "../lib/instanceTypes";
import { API_WORKER_MIB, apiPodBudget, workerRequests } from "../lib/manifests";
import { DAEMONSETS, eniMaxPods, kubeReservedCpuMillis, kubeReservedMemoryMiB, maxPods, nodeModel } from "../lib/nodeModel";
import { DEFAULT_RELEASE, RELEASES } from "../lib/releases";
import { specSchema } from "../stacks/schema";

describe("EKS node model (amazon-eks-ami nodeadm, EKS managed node groups)", () => {
    it("reserves CPU as nodeadm does: 6 % of the first core, 1 % of the second, 0.5 % of the next two, 0.25 % above", () => {
        // nodeadm's own figures, range by range, rounded down.
        const expected: Record<number, number> = { 2: 70, 4: 80, 8: 90, 16: 110, 32: 150, 36: 160, 48: 190, 64: 230, 72: 250, 96: 310 };
        for (const [vcpu, millis] of Object.entries(expected)) {
            assert.strictEqual(kubeReservedCpuMillis(Number(vcpu)), millis, `${vcpu} vCPU`);
        }
    });

    it("derives pod slots from network interfaces, capped on managed node groups, and reserves memory for the uncapped slots", () => {
        const slots = (type: string) => [eniMaxPods(instanceCapacity(type)!), maxPods(instanceCapacity(type)!)];
        assert.deepStrictEqual(slots("c6i.large"), [29, 29]);
        assert.deepStrictEqual(slots("m6i.xlarge"), [58, 58]);
        assert.deepStrictEqual(slots("t3.medium"), [17, 17]);
        assert.deepStrictEqual(slots("t3.large"), [35, 35]);
        assert.deepStrictEqual(slots("t3a.small"), [8, 8]);
        assert.deepStrictEqual(slots("m6i.4xlarge"), [234, 110], "below 30 vCPU the cap is 110");
        assert.deepStrictEqual(slots("m6i.8xlarge"), [234, 234]);
        assert.deepStrictEqual(slots("r6i.16xlarge"), [737, 250], "from 30 vCPU the cap is 250");
        assert.strictEqual(kubeReservedMemoryMiB(29), 574);
        assert.strictEqual(nodeModel("m6i.4xlarge")!.kubeReserved.memoryMiB, 2829, "kube-reserved counts the uncapped 234 slots");
    });

    it("leaves a c6i.xlarge's API pod less than the 6992 MiB the old flat overhead gave it", () => {
        const node = nodeModel("c6i.xlarge")!;
        // 8192 nominal - 566 kernel - 893 kube-reserved - 100 eviction - 104 DaemonSets.
        assert.strictEqual(node.free.memoryMiB, 6529);
        assert.ok(apiPodBudget(node, []).memoryMiB < 8192 - 1200);
        assert.strictEqual(node.free.cpuMillis, 4000 - 80 - 180);
        assert.strictEqual(node.free.pods, 58 - DAEMONSETS.length);
    });

    it("every instance type of the table has a model whose parts add up", () => {
        for (const [type, instance] of INSTANCE_TYPES) {
            const node = nodeModel(type)!;
            assert.strictEqual(node.allocatable.memoryMiB, node.capacityMemoryMiB - node.kubeReserved.memoryMiB - node.evictionMiB, type);
            assert.strictEqual(node.allocatable.cpuMillis, instance.vcpu * 1000 - node.kubeReserved.cpuMillis, type);
            assert.ok(node.capacityMemoryMiB < instance.memoryMiB && node.free.memoryMiB > 0 && node.free.pods > 0, type);
        }
    });

    it("the schema accepts exactly the types of the table: sizes a family lacks are refused", () => {
        const accepted = (type: string) => specSchema.shape.gui.shape.instanceType.safeParse(type).success;
        for (const type of ["c6i.large", "c5.9xlarge", "c5.18xlarge", "m7i.24xlarge", "t3a.small"]) {
            assert.ok(accepted(type), type);
        }
        for (const type of ["c5.8xlarge", "c5.16xlarge", "c5a.9xlarge", "m6i.9xlarge", "c7g.24xlarge", "t3.nano", "x2idn.large"]) {
            assert.ok(!accepted(type), `${type} does not exist, yet the schema accepts it`);
        }
    });

    it("a GUI-facing API server keeps room for every worker of every release", () => {
        for (const release of Object.values(RELEASES)) {
            const node = nodeModel("m6i.large")!;
            const budget = apiPodBudget(node, workerRequests(release));
            const workers = workerRequests(release).reduce((sum, r) => sum + r.memoryMiB, 0);
            assert.strictEqual(budget.memoryMiB + workers, node.free.memoryMiB);
        }
    });
});

describe("README's node sizing table", () => {
    it("states what the node model gives each type", () => {
        const readme = fs.readFileSync("README.md", "utf8");
        const rows = [...readme.matchAll(/^\| `([a-z0-9.]+)` \| \d+ \/ \d+ GiB \| (\d+) \| (\d+)m, (\d+) MiB \| (\d+)m, (\d+) MiB \| (\d+) \| (\d+) MiB \| (\d+) \|$/gm)];
        assert.ok(rows.length >= 6, "the table is gone");
        const workers = workerRequests(RELEASES[DEFAULT_RELEASE]);
        for (const [, type, slots, allocCpu, allocMem, cpu, mem, fit, besideMem, besideFit] of rows) {
            const node = nodeModel(type)!;
            const alone = apiPodBudget(node, []);
            const beside = apiPodBudget(node, workers);
            assert.deepStrictEqual([slots, allocCpu, allocMem, cpu, mem, fit, besideMem, besideFit].map(Number), [
                node.maxPods, node.allocatable.cpuMillis, node.allocatable.memoryMiB, alone.cpuMillis, alone.memoryMiB,
                Math.floor(alone.memoryMiB / API_WORKER_MIB), beside.memoryMiB, Math.floor(beside.memoryMiB / API_WORKER_MIB),
            ], type);
        }
    });
});
