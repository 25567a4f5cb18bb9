import * as ipaddr from "ipaddr.js";

export type CidrCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a CIDR given for a security-group rule: IPv4 or IPv6, written as its network address
 * (AWS refuses host bits), and never the whole address space.
 */
export function checkTrustedCidr(cidr: string): CidrCheck {
    // ipaddr also reads IPv4 inet_aton shorthands (10.0/16), which AWS refuses.
    if (!ipaddr.isValidCIDR(cidr) || (ipaddr.IPv4.isValidCIDR(cidr) && !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr))) {
        return { ok: false, reason: "not an IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/48" };
    }
    const [addr, prefix] = ipaddr.parseCIDR(cidr);
    if (prefix === 0) {
        return { ok: false, reason: "opens the GUI and the GUI-facing API to the whole Internet" };
    }
    const network = addr.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(cidr)
        : ipaddr.IPv6.networkAddressFromCIDR(cidr);
    const canonical = `${network.toString()}/${prefix}`;
    if (network.toString() !== addr.toString()) {
        return { ok: false, reason: `has host bits set; write it as ${canonical}` };
    }
    return { ok: true };
}

/** True for IPv6 CIDRs, which security groups take in a separate field. */
export function isIpv6Cidr(cidr: string): boolean {
    return ipaddr.parseCIDR(cidr)[0].kind() === "ipv6";
}
