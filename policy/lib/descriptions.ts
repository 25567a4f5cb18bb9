import { Plain, records } from "./props";
import { AWS, SECURITY_GROUPS } from "./types";

/**
 * Security-group rules and their descriptions, whichever way a rule is written: inline on a group
 * (`ingress`, `egress`), as an aws.vpc.SecurityGroupIngressRule / EgressRule, or as an
 * aws.ec2.SecurityGroupRule.
 *
 * The pack imports nothing from the program, so this repeats lib/securityGroups.ts; a test holds
 * the two to the same answers. EC2 allows up to 255 characters of a-z, A-Z, 0-9, spaces and
 * ._-:/()#,@[]+=&;{}!$* in a rule naming an address range, the same without & in one naming a
 * security group (EC2 API reference, IpRange / UserIdGroupPair Description): the stricter set.
 */

export const RULE_TYPES: readonly string[] = [...SECURITY_GROUPS, AWS.ingressRule, AWS.egressRule, AWS.securityGroupRule];

const MAX_LENGTH = 255;
const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

export function descriptionProblem(description: unknown): string | undefined {
    if (typeof description !== "string" || description.trim() === "") {
        return "has no description";
    }
    if (description.length > MAX_LENGTH) {
        return `has a description of ${description.length} characters; EC2 allows ${MAX_LENGTH}`;
    }
    const bad = [...new Set([...description].filter((c) => !ALLOWED.test(c)))];
    if (bad.length > 0) {
        return `has a description with characters EC2 refuses (${bad.map((c) => JSON.stringify(c)).join(", ")})`;
    }
    return undefined;
}

interface DescribedRule {
    /** "ingress rule 2" for an inline rule, "rule" for a rule resource. */
    where: string;
    description: unknown;
}

export function rulesOf(type: string, props: Plain): DescribedRule[] {
    if (SECURITY_GROUPS.includes(type)) {
        return (["ingress", "egress"] as const).flatMap((direction) =>
            records(props[direction]).map((rule, i) => ({ where: `${direction} rule ${i + 1}`, description: rule.description })));
    }
    return [{ where: "rule", description: props.description }];
}
