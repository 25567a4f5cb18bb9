import { InstanceCapacity, instanceCapacity } from "./instanceTypes";

/**
 * What an EKS node (managed node group, AL2023 AMI, VPC CNI without prefix delegation) leaves
 * for pods: the one model that config validation, pod sizing and the offline scheduling check
 * use. Every figure cites where it comes from; PULUMI.md lists them too.
 */

export interface Resources {
    cpuMillis: number;
    memoryMiB: number;
}

/** Resources with the pod slots they take or offer. */
export type ResourcesAndPods = Resources & { pods: number };

/** CPU and memory of several requests together. */
export const total = (requests: Resources[]): Resources => requests.reduce(
    (sum, r) => ({ cpuMillis: sum.cpuMillis + r.cpuMillis, memoryMiB: sum.memoryMiB + r.memoryMiB }), { cpuMillis: 0, memoryMiB: 0 });

export interface NodeModel {
    instance: InstanceCapacity;
    /** Pod slots by the instance's network interfaces, before any cap: what kube-reserved is computed from. */
    eniMaxPods: number;
    /** Pod slots the kubelet runs with. */
    maxPods: number;
    /** Memory the kernel reports (the node's capacity), below the nominal size. */
    capacityMemoryMiB: number;
    /** kube-reserved, from the pod slots and the cores. */
    kubeReserved: Resources;
    /** The kubelet's hard eviction threshold for memory. */
    evictionMiB: number;
    /** What the scheduler may hand out: capacity less kube-reserved and eviction. */
    allocatable: ResourcesAndPods;
    /** What the add-on DaemonSets request on every node. */
    daemonSets: ResourcesAndPods;
    /** What is left for the stack's own pods. */
    free: ResourcesAndPods;
}

/**
 * Pod slots by network interfaces: ENIs x (IPv4 per ENI - 1) + 2 (amazon-eks-ami
 * nodeadm/internal/kubelet/eni_max_pods.go, over its embedded instance-info.jsonl; the +2 are the
 * host-network pods).
 */
export const eniMaxPods = (instance: InstanceCapacity): number => instance.enis * (instance.ipv4PerEni - 1) + 2;

/**
 * What the kubelet runs with on a managed node group without a custom AMI: EKS writes a cap into
 * the node's user data, 110 below 30 vCPU and 250 above (EKS user guide, choosing-instance-type.html,
 * "Managed node group enforcement"). nodeadm still computes kube-reserved from the uncapped value
 * (nodeadm/doc/examples.md; amazon-eks-ami#2580).
 */
export function maxPods(instance: InstanceCapacity): number {
    return Math.min(eniMaxPods(instance), instance.vcpu < 30 ? 110 : 250);
}

/**
 * nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve: 6 % of the first core, 1 % of
 * the second, 0.5 % of the third and fourth, 0.25 % of every core above, each range rounded down
 * (2 vCPU: 70m, 4: 80m, 8: 90m, 16: 110m, 64: 230m).
 */
export function kubeReservedCpuMillis(vcpu: number): number {
    const total = vcpu * 1000;
    const bounds = [0, 1000, 2000, 4000, total];
    const basisPoints = [600, 100, 50, 25];
    let millis = 0;
    for (let i = 0; i < basisPoints.length; i++) {
        const top = Math.min(total, bounds[i + 1]);
        if (top > bounds[i]) {
            millis += Math.floor(((top - bounds[i]) * basisPoints[i]) / 10000);
        }
    }
    return millis;
}

/** nodeadm getMemoryMebibytesToReserve: 255 MiB plus 11 MiB per pod slot (the uncapped ones). */
export const kubeReservedMemoryMiB = (pods: number): number => 255 + 11 * pods;

/** nodeadm's default evictionHard: memory.available<100Mi. nodeadm sets no system-reserved. */
const EVICTION_HARD_MIB = 100;

/**
 * The kernel reports less than the nominal memory (page structures, kernel, firmware): the larger
 * of 320 MiB plus 3 % and 7.5 % (Karpenter's VM_MEMORY_OVERHEAD_PERCENT default). That is above
 * every overhead Karpenter measured on real nodes of the heaviest OS, Bottlerocket, for each of the
 * 169 types of our table it lists (aws/karpenter-provider-aws pkg/providers/instancetype/
 * zz_generated.memory_overhead.go, last version before 33450d8f8): t3.medium 253, c5.large 405,
 * c6i.large 273, m5.large 559, r6i.large 671, c5.18xlarge 6728, r6a.24xlarge 28597 MiB. The
 * narrowest margin is c5.large's, 38 MiB.
 */
export const kernelOverheadMiB = (nominalMiB: number): number => Math.ceil(Math.max(320 + 0.03 * nominalMiB, 0.075 * nominalMiB));

/**
 * Left free on every server whose pod takes the rest: the add-ons' DaemonSets run at
 * system-node-critical priority and would preempt a tier's pod if a new add-on version (looked up
 * at every `pulumi up`) requested more than today's.
 */
export const POD_HEADROOM: Resources = { cpuMillis: 100, memoryMiB: 256 };

/** What a server leaves a pod that has it to itself but for the pods beside it, the headroom kept. */
export function leftForPod(node: NodeModel, beside: Resources[]): Resources {
    const taken = total([POD_HEADROOM, ...beside]);
    return { cpuMillis: node.free.cpuMillis - taken.cpuMillis, memoryMiB: node.free.memoryMiB - taken.memoryMiB };
}

/**
 * Requests of the DaemonSets the stack's EKS add-ons run on every node, each tolerating every
 * taint (`operator: Exists`): aws-node and its network-policy agent at 25m each
 * (amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml), kube-proxy 100m (EKS's DaemonSet), and
 * the EBS CSI node plugin at 10m/40Mi + 10m/32Mi + 10m/32Mi (aws-ebs-csi-driver chart values).
 */
export const DAEMONSETS: { name: string; requests: Resources }[] = [
    { name: "aws-node (vpc-cni)", requests: { cpuMillis: 50, memoryMiB: 0 } },
    { name: "kube-proxy", requests: { cpuMillis: 100, memoryMiB: 0 } },
    { name: "ebs-csi-node", requests: { cpuMillis: 30, memoryMiB: 104 } },
];

const DAEMONSET_REQUESTS = { ...total(DAEMONSETS.map((d) => d.requests)), pods: DAEMONSETS.length };

function nodeModelOf(instance: InstanceCapacity): NodeModel {
    const slots = eniMaxPods(instance);
    const pods = maxPods(instance);
    const capacityMemoryMiB = instance.memoryMiB - kernelOverheadMiB(instance.memoryMiB);
    const kubeReserved = { cpuMillis: kubeReservedCpuMillis(instance.vcpu), memoryMiB: kubeReservedMemoryMiB(slots) };
    const allocatable = {
        cpuMillis: instance.vcpu * 1000 - kubeReserved.cpuMillis,
        memoryMiB: capacityMemoryMiB - kubeReserved.memoryMiB - EVICTION_HARD_MIB,
        pods,
    };
    const daemonSets = DAEMONSET_REQUESTS;
    return {
        instance, eniMaxPods: slots, maxPods: pods, capacityMemoryMiB, kubeReserved, evictionMiB: EVICTION_HARD_MIB, allocatable, daemonSets,
        free: {
            cpuMillis: allocatable.cpuMillis - daemonSets.cpuMillis,
            memoryMiB: allocatable.memoryMiB - daemonSets.memoryMiB,
            pods: allocatable.pods - daemonSets.pods,
        },
    };
}

/** The model of an instance type of the table; undefined for a type the program does not know. */
export function nodeModel(instanceType: string): NodeModel | undefined {
    const instance = instanceCapacity(instanceType);
    return instance && nodeModelOf(instance);
}

/** Pods of the stack's EKS add-ons that need a node of their own kind: untainted (system) nodes. */
interface AddonPods {
    /** Owner as the stack creates it: the `addonName` of an `aws.eks.Addon`. */
    addon: string;
    name: string;
    replicas: number;
    requests: Resources;
}

/**
 * Deployments of the EKS add-ons: CoreDNS, two replicas of 100m and 70Mi (the add-on's manifest);
 * the EBS CSI controller, two replicas of five containers at 10m/40Mi and a liveness probe at
 * 10m/32Mi (aws-ebs-csi-driver chart values). Neither tolerates the tiers' taints.
 */
export const ADDON_PODS: AddonPods[] = [
    { addon: "coredns", name: "coredns", replicas: 2, requests: { cpuMillis: 100, memoryMiB: 70 } },
    { addon: "aws-ebs-csi-driver", name: "ebs-csi-controller", replicas: 2, requests: { cpuMillis: 60, memoryMiB: 232 } },
];
