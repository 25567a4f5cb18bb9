import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { descriptionProblem, RULE_TYPES, rulesOf } from "../lib/descriptions";
import { at, describe, forTypes, known, ofTypes, records, settings, text, texts } from "../lib/props";
import { AWS } from "../lib/types";

/** What lets someone reconstruct later who was let in and why: rule descriptions and WAF request logs. */

export const ruleDescriptions: ResourceValidationPolicy = {
    name: "tracardi-sg-rule-descriptions",
    description: "Every security-group rule (inline, aws.vpc.SecurityGroupIngressRule/EgressRule, aws.ec2.SecurityGroupRule) says whom it admits and why, in a description EC2 accepts.",
    enforcementLevel: "mandatory",
    validateResource: forTypes(RULE_TYPES, (props, args, report) => {
        for (const rule of rulesOf(args.type, props)) {
            const problem = descriptionProblem(rule.description);
            if (problem) {
                const where = rule.where === "rule" ? args.name : `${args.name} ${rule.where}`;
                report(`security-group ${where} ${problem}: set description to whom it admits and why ` +
                    "(for example \"HTTPS from trusted network 203.0.113.0/24 to the gui load balancers\"), " +
                    "at most 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$*");
            }
        }
    }),
};

const REDACTED_HEADERS = ["authorization", "cookie"];

/** The web ACL an association attaches: a dependency of the association, or the one whose ARN it names. */
function webAclOf(association: PolicyResource, acls: PolicyResource[]): PolicyResource | undefined {
    const direct = ofTypes(association.dependencies, AWS.webAcl)[0];
    if (direct) {
        return direct;
    }
    const arn = known(() => text(association.props.webAclArn));
    return arn === undefined ? undefined : acls.find((acl) => known(() => text(acl.props.arn)) === arn);
}

function logs(config: PolicyResource, acl: PolicyResource): boolean {
    if (config.dependencies.some((d) => d.urn === acl.urn)) {
        return true;
    }
    const arn = known(() => text(acl.props.arn));
    return arn !== undefined && known(() => text(config.props.resourceArn)) === arn;
}

export const wafLogging: StackValidationPolicy = {
    name: "tracardi-waf-logging",
    description: "Every WAF web ACL in front of a load balancer logs its requests, with the authorization and cookie headers redacted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            redactedHeaders: {
                type: "array", items: { type: "string" }, default: REDACTED_HEADERS,
                description: "Request headers (lower case) every WAF logging configuration must redact.",
            },
        },
    },
    validateStack: (args, report) => {
        const { redactedHeaders } = settings<{ redactedHeaders: string[] }>(wafLogging.configSchema!, args);
        const acls = ofTypes(args.resources, AWS.webAcl);
        const configs = ofTypes(args.resources, AWS.webAclLogging);
        const judged = new Set<string>();
        for (const association of ofTypes(args.resources, AWS.webAclAssociation)) {
            const acl = webAclOf(association, acls);
            if (!acl || judged.has(acl.urn)) {
                continue;
            }
            judged.add(acl.urn);
            const mine = configs.filter((c) => logs(c, acl));
            if (mine.length === 0) {
                report(`${describe(acl)} guards load balancers but logs no requests: add an aws.wafv2.WebAclLoggingConfiguration for it ` +
                    "to a CloudWatch Logs group named aws-waf-logs-*, with redactedFields singleHeader " +
                    `${redactedHeaders.join(" and ")}`, acl.urn);
                continue;
            }
            for (const config of mine) {
                const destinations = known(() => texts(config.props.logDestinationConfigs));
                if (destinations !== undefined && destinations.length === 0) {
                    report(`${describe(config)} names no log destination: set logDestinationConfigs to an aws-waf-logs-* log group`, config.urn);
                }
                const redacted = records(config.props.redactedFields).map((f) => text(at(f, "singleHeader.name")));
                const missing = redactedHeaders.filter((h) => !redacted.includes(h));
                if (missing.length > 0) {
                    report(`${describe(config)} writes the ${missing.join(" and ")} header(s) of every request to the logs: add ` +
                        `${missing.map((h) => `{ singleHeader: { name: "${h}" } }`).join(" and ")} to redactedFields (names in lower case)`, config.urn);
                }
            }
        }
    },
};

export const auditPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [ruleDescriptions, wafLogging];
