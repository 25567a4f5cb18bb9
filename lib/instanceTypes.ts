/**
 * EC2 facts of the instance types this program runs servers on: the one table that config
 * validation, pod sizing and the offline plan read (through ./nodeModel). A type missing here is
 * refused by the schema rather than guessed.
 *
 * Sources: vCPU and memory from the EC2 instance type pages (docs.aws.amazon.com/ec2/latest/
 * instancetypes/gp.html, co.html, mo.html, bu.html); which sizes exist, network interfaces and
 * IPv4 addresses per interface from amazon-eks-ami's nodeadm/internal/kubelet/instance-info.jsonl
 * (checked against its last eni-max-pods.txt).
 */
export interface InstanceCapacity {
    instanceType: string;
    vcpu: number;
    /** Nominal memory, as EC2 sells it. */
    memoryMiB: number;
    /** Graviton (arm64) types need arm64 AMIs. */
    arm64: boolean;
    /** Elastic network interfaces the type can attach. */
    enis: number;
    /** Private IPv4 addresses per interface (the VPC CNI gives all but the primary to pods). */
    ipv4PerEni: number;
}

interface SizeFacts { vcpu: number; enis: number; ipv4PerEni: number }

/** The Nitro c/m/r pattern: interfaces and addresses grow in steps with the size. */
const NITRO_SIZES: Record<string, SizeFacts> = {
    large: { vcpu: 2, enis: 3, ipv4PerEni: 10 },
    xlarge: { vcpu: 4, enis: 4, ipv4PerEni: 15 },
    "2xlarge": { vcpu: 8, enis: 4, ipv4PerEni: 15 },
    "4xlarge": { vcpu: 16, enis: 8, ipv4PerEni: 30 },
    "8xlarge": { vcpu: 32, enis: 8, ipv4PerEni: 30 },
    "9xlarge": { vcpu: 36, enis: 8, ipv4PerEni: 30 },
    "12xlarge": { vcpu: 48, enis: 8, ipv4PerEni: 30 },
    "16xlarge": { vcpu: 64, enis: 15, ipv4PerEni: 50 },
    "18xlarge": { vcpu: 72, enis: 15, ipv4PerEni: 50 },
    "24xlarge": { vcpu: 96, enis: 15, ipv4PerEni: 50 },
};

const MEMORY_PER_VCPU_GIB: Record<string, number> = { c: 2, m: 4, r: 8 };
const REGULAR = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"];
/** Graviton 2 and 3 stop at 16xlarge. */
const GRAVITON = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];

/** Sizes that exist per family, from `large` up. c5 is the odd one: 9xlarge and 18xlarge instead of 8xlarge and 16xlarge. */
const FAMILIES: Record<string, string[]> = {
    c5: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"],
    ...Object.fromEntries(["c5a", "c6i", "c6a", "c7i", "c7a", "m5", "m5a", "m6i", "m6a", "m7i", "m7a", "r5", "r5a", "r6i", "r6a", "r7i", "r7a"]
        .map((family) => [family, REGULAR])),
    ...Object.fromEntries(["c6g", "c7g", "m6g", "m7g", "r6g", "r7g"].map((family) => [family, GRAVITON])),
};

/** Burstable types: their own interface and address counts. */
const BURSTABLE: Record<string, SizeFacts & { memoryGiB: number }> = {
    small: { vcpu: 2, memoryGiB: 2, enis: 3, ipv4PerEni: 4 },
    medium: { vcpu: 2, memoryGiB: 4, enis: 3, ipv4PerEni: 6 },
    large: { vcpu: 2, memoryGiB: 8, enis: 3, ipv4PerEni: 12 },
    xlarge: { vcpu: 4, memoryGiB: 16, enis: 4, ipv4PerEni: 15 },
    "2xlarge": { vcpu: 8, memoryGiB: 32, enis: 4, ipv4PerEni: 15 },
};

function table(): Map<string, InstanceCapacity> {
    const types = new Map<string, InstanceCapacity>();
    for (const [family, sizes] of Object.entries(FAMILIES)) {
        for (const size of sizes) {
            const facts = NITRO_SIZES[size];
            const instanceType = `${family}.${size}`;
            types.set(instanceType, {
                instanceType, vcpu: facts.vcpu, memoryMiB: facts.vcpu * MEMORY_PER_VCPU_GIB[family[0]] * 1024,
                arm64: family.endsWith("g"), enis: facts.enis, ipv4PerEni: facts.ipv4PerEni,
            });
        }
    }
    for (const family of ["t3", "t3a", "t4g"]) {
        for (const [size, facts] of Object.entries(BURSTABLE)) {
            const instanceType = `${family}.${size}`;
            types.set(instanceType, {
                instanceType, vcpu: facts.vcpu, memoryMiB: facts.memoryGiB * 1024, arm64: family === "t4g",
                // The one exception to the pattern: t3a.small attaches two interfaces, not three.
                enis: instanceType === "t3a.small" ? 2 : facts.enis, ipv4PerEni: facts.ipv4PerEni,
            });
        }
    }
    return types;
}

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceCapacity> = table();

export const SUPPORTED_INSTANCE_TYPES =
    "a type such as c6i.large, m6i.xlarge or r6i.large, of c5, c5a, c6i, c6a, c7i, c7a, m5, m5a, m6i, m6a, m7i, m7a, r5, r5a, r6i, r6a, r7i, r7a (large to 24xlarge; c5 has 9xlarge and 18xlarge " +
    "instead of 8xlarge and 16xlarge), Graviton c6g, c7g, m6g, m7g, r6g, r7g (large to 16xlarge), or t3, t3a, t4g (small to 2xlarge)";

export function instanceCapacity(instanceType: string): InstanceCapacity | undefined {
    return INSTANCE_TYPES.get(instanceType);
}
