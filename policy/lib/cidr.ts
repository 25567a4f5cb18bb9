import * as ipaddr from "ipaddr.js";

/** Address ranges that never route on the Internet: traffic from inside the VPC or a peered network. */
const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];

type Parsed = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parse(cidr: string): Parsed | undefined {
    return ipaddr.isValidCIDR(cidr) ? ipaddr.parseCIDR(cidr) : undefined;
}

/** Whether `inner` lies wholly inside `outer` (same family, longer or equal prefix). */
function within(inner: string, outer: string): boolean {
    const a = parse(inner);
    const b = parse(outer);
    return !!a && !!b && a[0].kind() === b[0].kind() && a[1] >= b[1] && a[0].match(b);
}

export function isPrivate(cidr: string): boolean {
    return PRIVATE.some((range) => within(cidr, range));
}

/** What makes a source network acceptable where only trusted networks may connect. */
export interface TrustRule {
    /** Networks wider than this (shorter prefix) count as the Internet. */
    minIpv4PrefixLength: number;
    minIpv6PrefixLength: number;
    /** When not empty, a public network must lie inside one of these. */
    trustedCidrs: string[];
}

/**
 * Why a source network is not trusted (a phrase such as "the whole Internet"), or undefined when it is. Private ranges are the VPC's own
 * traffic; anything else must be narrow and, when the pack knows the customer's networks, one of them.
 */
export function untrusted(cidr: string, rule: TrustRule): string | undefined {
    const parsed = parse(cidr);
    if (!parsed) {
        return "not a CIDR";
    }
    if (isPrivate(cidr)) {
        return undefined;
    }
    const [addr, prefix] = parsed;
    const min = addr.kind() === "ipv4" ? rule.minIpv4PrefixLength : rule.minIpv6PrefixLength;
    if (prefix < min) {
        return prefix === 0 ? "the whole Internet" : `wider than /${min}: a slice of the Internet, not a trusted network`;
    }
    if (rule.trustedCidrs.length > 0 && !rule.trustedCidrs.some((t) => within(cidr, t))) {
        return `outside the trusted networks ${rule.trustedCidrs.join(", ")}`;
    }
    return undefined;
}

/** The whole Internet, or enough of it that the exception is not a trust boundary. */
export function isInternetWide(cidr: string, rule: Pick<TrustRule, "minIpv4PrefixLength" | "minIpv6PrefixLength">): boolean {
    const parsed = parse(cidr);
    if (!parsed || isPrivate(cidr)) {
        return false;
    }
    const [addr, prefix] = parsed;
    return prefix < (addr.kind() === "ipv4" ? rule.minIpv4PrefixLength : rule.minIpv6PrefixLength);
}
