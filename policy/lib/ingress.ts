import { Plain, records, text, texts } from "./props";
import { AWS, SECURITY_GROUPS } from "./types";

/**
 * Security-group ingress in one shape, whichever way it was written: inline on the group
 * (`ingress`), as an `aws.vpc.SecurityGroupIngressRule`, or as an `aws.ec2.SecurityGroupRule`.
 */
export interface Ingress {
    cidrs: string[];
    /**
     * Source security groups (ids), `self` included as "self". A function: during a preview the
     * ids of groups not created yet are unknown, and only policies that need them should read them.
     */
    sourceGroups(): string[];
    protocol: string;
    fromPort: number;
    toPort: number;
}

export const INGRESS_TYPES: readonly string[] = [...SECURITY_GROUPS, AWS.ingressRule, AWS.securityGroupRule];

function port(value: unknown, fallback: number): number {
    return typeof value === "number" ? value : fallback;
}

export function ingressOf(type: string, props: Plain): Ingress[] {
    if (SECURITY_GROUPS.includes(type)) {
        return records(props.ingress).map((rule) => ({
            cidrs: [...texts(rule.cidrBlocks), ...texts(rule.ipv6CidrBlocks)],
            sourceGroups: () => [...texts(rule.securityGroups), ...(rule.self === true ? ["self"] : [])],
            protocol: String(rule.protocol ?? "-1"),
            fromPort: port(rule.fromPort, 0),
            toPort: port(rule.toPort, 65535),
        }));
    }
    if (type === AWS.ingressRule) {
        return [{
            cidrs: [text(props.cidrIpv4), text(props.cidrIpv6)].filter((c): c is string => c !== undefined),
            sourceGroups: () => texts([props.referencedSecurityGroupId]),
            protocol: String(props.ipProtocol ?? "-1"),
            fromPort: port(props.fromPort, 0),
            toPort: port(props.toPort, 65535),
        }];
    }
    if (type === AWS.securityGroupRule && props.type === "ingress") {
        return [{
            cidrs: [...texts(props.cidrBlocks), ...texts(props.ipv6CidrBlocks)],
            sourceGroups: () => [...texts([props.sourceSecurityGroupId]), ...(props.self === true ? ["self"] : [])],
            protocol: String(props.protocol ?? "-1"),
            fromPort: port(props.fromPort, 0),
            toPort: port(props.toPort, 65535),
        }];
    }
    return [];
}

const ALL_PROTOCOLS = ["-1", "all"];
const TCP = ["tcp", "6"];

/** Whether the rule admits TCP traffic to `target`. */
export function admitsTcpPort(rule: Ingress, target: number): boolean {
    const protocol = rule.protocol.toLowerCase();
    if (ALL_PROTOCOLS.includes(protocol)) {
        return true;
    }
    return TCP.includes(protocol) && rule.fromPort <= target && target <= rule.toPort;
}

/** Whether the rule admits nothing but TCP to the listed ports. */
export function onlyTcpPorts(rule: Ingress, ports: number[]): boolean {
    const protocol = rule.protocol.toLowerCase();
    if (!TCP.includes(protocol) || rule.toPort - rule.fromPort + 1 > ports.length) {
        return false;
    }
    for (let p = rule.fromPort; p <= rule.toPort; p++) {
        if (!ports.includes(p)) {
            return false;
        }
    }
    return true;
}

export function describePorts(rule: Ingress): string {
    if (ALL_PROTOCOLS.includes(rule.protocol.toLowerCase())) {
        return "all traffic";
    }
    return rule.fromPort === rule.toPort ? `${rule.protocol} ${rule.fromPort}` : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
}
