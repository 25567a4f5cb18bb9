import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ruleDescription } from "../lib/securityGroups";
import { named } from "../lib/tags";

export interface ClientOnlySecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    /** What the group guards, e.g. "Redis"; used in descriptions and the Name tag. */
    service: string;
    port: number;
    /** Security groups of the only servers allowed in (the API tiers). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    tags: Record<string, string>;
}

/**
 * A security group for a data store that admits one TCP port from named security groups and
 * nothing else: no address ranges, so no network can be added by mistake.
 */
export function clientOnlySecurityGroup(name: string, args: ClientOnlySecurityGroupArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(`${name}-sg`, {
        vpcId: args.vpcId,
        description: `${args.service}: API tiers only`,
        tags: named(args.tags, `${name}-${args.service.toLowerCase()}`),
    }, { parent });
    args.clientSecurityGroupIds.forEach((source, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-from-${i}`, {
        securityGroupId: group.id,
        referencedSecurityGroupId: source,
        ipProtocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        description: ruleDescription(`${name}-from-${i}`,
            `${args.service} (tcp ${args.port}) from the servers of Tracardi API tier ${i + 1} of ${args.clientSecurityGroupIds.length}: the API reads and writes its data here`),
        tags: args.tags,
    }, { parent }));
    return group;
}
