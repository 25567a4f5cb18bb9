import * as ipaddr from "ipaddr.js";

/** The three subnet tiers of every availability zone. */
export const SUBNET_TIERS = ["public", "app", "data"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

export interface SubnetPlan {
    tier: SubnetTier;
    zoneIndex: number;
    cidr: string;
}

/** Zones a VPC can be split for: the layout reserves eight slots per tier. */
export const MAX_ZONES = 8;
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 19;

/** Parses an IPv4 CIDR into its network address (as a 32-bit number) and prefix length. */
export function parseIpv4Cidr(cidr: string): { base: number; prefix: number } {
    // ipaddr also reads the inet_aton shorthands (10.0/16, 0x0a.0.0.0/16), which AWS refuses.
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) {
        throw new Error(`${cidr} is not an IPv4 CIDR written as four decimal numbers and a prefix`);
    }
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
    const base = addr.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
    return { base, prefix };
}

function formatIpv4(value: number, prefix: number): string {
    const bytes = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
    return `${bytes.join(".")}/${prefix}`;
}

function block(base: number, prefix: number, index: number): string {
    return formatIpv4(base + index * 2 ** (32 - prefix), prefix);
}

/**
 * Splits the VPC range into one subnet per tier and zone.
 *
 * The first half of the VPC holds the application subnets, because the VPC CNI gives every
 * pod an address from them; the third and fourth quarters hold the public and data subnets.
 * Each tier has eight slots, so adding a zone later never moves an existing subnet.
 * For a /16: app /20 (4,096 addresses), public /21, data /21.
 */
export function planSubnets(vpcCidr: string, zoneCount: number): SubnetPlan[] {
    const { base, prefix } = parseIpv4Cidr(vpcCidr);
    if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
        throw new RangeError(`VPC prefix /${prefix} is outside /${MIN_VPC_PREFIX}../${MAX_VPC_PREFIX}`);
    }
    if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_ZONES) {
        throw new RangeError(`zone count ${zoneCount} is outside 1..${MAX_ZONES}`);
    }
    const half = 2 ** (32 - prefix - 1);
    const quarter = half / 2;
    const starts: Record<SubnetTier, { base: number; prefix: number }> = {
        app: { base, prefix: prefix + 4 },
        public: { base: base + half, prefix: prefix + 5 },
        data: { base: base + half + quarter, prefix: prefix + 5 },
    };
    const plans: SubnetPlan[] = [];
    for (const tier of SUBNET_TIERS) {
        for (let zoneIndex = 0; zoneIndex < zoneCount; zoneIndex++) {
            plans.push({ tier, zoneIndex, cidr: block(starts[tier].base, starts[tier].prefix, zoneIndex) });
        }
    }
    return plans;
}

/**
 * The index-th /64 of the VPC's Amazon-provided IPv6 block (a /56): public subnets take one each
 * so the load balancers can answer IPv6 clients, trusted operators' networks among them.
 */
export function ipv6Subnet(vpcIpv6Cidr: string, index: number): string {
    const [addr, prefix] = ipaddr.IPv6.parseCIDR(vpcIpv6Cidr);
    if (prefix > 64 || !Number.isInteger(index) || index < 0 || index >= 2 ** (64 - prefix)) {
        throw new RangeError(`no /64 number ${index} in ${vpcIpv6Cidr}`);
    }
    const parts = addr.parts.slice();
    // The /64 index lives in the bits between the prefix and 64: parts[0..3] hold bits 0-63.
    let carry = index;
    for (let i = 3; i >= 0 && carry > 0; i--) {
        const sum = parts[i] + carry;
        parts[i] = sum % 0x10000;
        carry = Math.floor(sum / 0x10000);
    }
    return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}
