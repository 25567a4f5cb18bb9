/**
 * What an EC2 instance type offers, for sizing pods to the node they run on. Covers the
 * general-purpose, compute- and memory-optimised families on x86 and Graviton; the schema
 * refuses other types rather than guess their size.
 */
export interface InstanceCapacity {
    vcpu: number;
    memoryMiB: number;
    /** Graviton (arm64) types need arm64 AMIs. */
    arm64: boolean;
}

const MEMORY_PER_VCPU_GIB: Record<string, number> = { c: 2, m: 4, r: 8 };
const SIZE_VCPUS: Record<string, number> = { large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64 };
const BURSTABLE: Record<string, { vcpu: number; memoryGiB: number }> = {
    small: { vcpu: 2, memoryGiB: 2 }, medium: { vcpu: 2, memoryGiB: 4 }, large: { vcpu: 2, memoryGiB: 8 },
    xlarge: { vcpu: 4, memoryGiB: 16 }, "2xlarge": { vcpu: 8, memoryGiB: 32 },
};

export const SUPPORTED_INSTANCE_TYPES =
    "c|m|r families 5 to 8 (e.g. c6i.large, m7g.xlarge, r6i.2xlarge; large to 16xlarge) or t3/t3a/t4g small to 2xlarge";

export function instanceCapacity(instanceType: string): InstanceCapacity | undefined {
    const burstable = /^(t3|t3a|t4g)\.(\w+)$/.exec(instanceType);
    if (burstable) {
        const size = BURSTABLE[burstable[2]];
        return size && { vcpu: size.vcpu, memoryMiB: size.memoryGiB * 1024, arm64: burstable[1] === "t4g" };
    }
    const standard = /^([cmr])([5-8])([a-z]*)\.(\w+)$/.exec(instanceType);
    if (!standard) {
        return undefined;
    }
    const [, family, , suffix, size] = standard;
    const vcpu = SIZE_VCPUS[size];
    return vcpu === undefined ? undefined : {
        vcpu,
        memoryMiB: vcpu * MEMORY_PER_VCPU_GIB[family] * 1024,
        arm64: suffix.startsWith("g"),
    };
}
