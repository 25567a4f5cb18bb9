import * as assert from "assert";
import * as fs from "fs";
import { INSTANCE_TYPES, instanceCapacity } from "../lib/instanceTypes";
import { API_WORKER_MIB, apiPodBudget, workerRequests } from "../lib/manifests";
import {
    DAEMONSETS, eniMaxPods, kernelOverheadMiB, kubeReservedCpuMillis, kubeReservedMemoryMiB, maxPods, nodeModel, POD_HEADROOM,
} from "../lib/nodeModel";
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
        // 8192 nominal - 615 kernel (7.5 %) - 893 kube-reserved - 100 eviction - 104 DaemonSets.
        assert.strictEqual(node.free.memoryMiB, 6480);
        assert.ok(apiPodBudget(node, []).memoryMiB < 8192 - 1200);
        assert.strictEqual(node.free.cpuMillis, 4000 - 80 - 180);
        assert.strictEqual(node.free.pods, 58 - DAEMONSETS.length);
    });

    it("keeps more memory for the kernel than real nodes were measured to keep", () => {
        // Overhead (nominal minus node capacity, MiB) Karpenter measured on Bottlerocket, the heaviest OS
        // (aws/karpenter-provider-aws zz_generated.memory_overhead.go): the smallest types, where the
        // margin is thinnest, and the largest overheads of the table.
        const measured: Record<string, number> = {
            "t3.medium": 253, "c5.large": 405, "c6i.large": 273, "m5.large": 559, "m6i.large": 405, "m6i.xlarge": 672, "r6i.large": 671,
            "c5.18xlarge": 6728, "r6a.24xlarge": 28597, "m7a.24xlarge": 14577, "m6g.16xlarge": 9976, "r6a.12xlarge": 14552,
        };
        for (const [type, overhead] of Object.entries(measured)) {
            const node = nodeModel(type)!;
            assert.ok(kernelOverheadMiB(node.instance.memoryMiB) > overhead, `${type}: the model keeps ${kernelOverheadMiB(node.instance.memoryMiB)} MiB, a node kept ${overhead}`);
            assert.strictEqual(node.capacityMemoryMiB, node.instance.memoryMiB - kernelOverheadMiB(node.instance.memoryMiB));
        }
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
            assert.strictEqual(budget.memoryMiB + workers + POD_HEADROOM.memoryMiB, node.free.memoryMiB);
        }
    });
});

describe("README's node sizing table", () => {
    it("states what the node model gives each type", () => {
        const readme = fs.readFileSync("README.md", "utf8");
        const rows = [...readme.matchAll(/^\| `([a-z0-9.]+)` \| \d+ \/ \d+ GiB \| (\d+) \| (\d+)m, (\d+) MiB \| (\d+)m, (\d+) MiB \| (\d+) \| (\d+ MiB|too small) \| (\d+|-) \|$/gm)];
        assert.ok(rows.length >= 6, "the table is gone");
        const workers = workerRequests(RELEASES[DEFAULT_RELEASE]);
        const fit = (memoryMiB: number) => String(Math.min(32, Math.floor(memoryMiB / API_WORKER_MIB)));
        for (const [, type, slots, allocCpu, allocMem, cpu, mem, aloneFit, besideMem, besideFit] of rows) {
            const node = nodeModel(type)!;
            const alone = apiPodBudget(node, []);
            let beside: string[] = ["too small", "-"];
            try {
                const budget = apiPodBudget(node, workers);
                beside = [`${budget.memoryMiB} MiB`, fit(budget.memoryMiB)];
            } catch {
                // too small for the workers, as the table says or not
            }
            assert.deepStrictEqual([slots, allocCpu, allocMem, cpu, mem, aloneFit, besideMem, besideFit], [
                node.maxPods, node.allocatable.cpuMillis, node.allocatable.memoryMiB, alone.cpuMillis, alone.memoryMiB, fit(alone.memoryMiB),
            ].map(String).concat(beside), type);
        }
    });
});
