/**
 * Security-group rule descriptions: every rule says whom it admits and why, in the characters
 * EC2 accepts, so a bad one fails the offline plan instead of `pulumi up`.
 *
 * EC2 allows up to 255 characters of "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*" in a rule
 * that names an address range (IpRange, Ipv6Range), but "._-:/()#,@[]+=;{}!$*", without `&`, in
 * one that names a security group or prefix list (UserIdGroupPair, PrefixListId) (EC2 API
 * reference, Description of each). One set for every rule: the stricter.
 */

const RULE_DESCRIPTION_MAX_LENGTH = 255;
const RULE_DESCRIPTION_CHARACTERS = "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$*";
const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/;

/** What is wrong with a rule description, or undefined when EC2 accepts it. */
export function ruleDescriptionProblem(description: unknown): string | undefined {
    if (typeof description !== "string" || description.trim() === "") {
        return "has no description: say whom the rule admits and why";
    }
    if (description.length > RULE_DESCRIPTION_MAX_LENGTH) {
        return `has a description of ${description.length} characters; EC2 allows ${RULE_DESCRIPTION_MAX_LENGTH}`;
    }
    const bad = [...new Set([...description].filter((c) => !ALLOWED.test(c)))];
    if (bad.length > 0) {
        return `has a description with characters EC2 refuses (${bad.map((c) => JSON.stringify(c)).join(", ")}); allowed: ${RULE_DESCRIPTION_CHARACTERS}`;
    }
    return undefined;
}

/** The description, or an error naming the rule when EC2 would refuse it. */
export function ruleDescription(rule: string, description: string): string {
    const problem = ruleDescriptionProblem(description);
    if (problem) {
        throw new Error(`security-group rule ${rule} ${problem}: "${description}"`);
    }
    return description;
}
