import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ruleDescription } from "../lib/securityGroups";
import { named } from "../lib/tags";

export interface ServerSecurityGroupArgs {
    vpcId: pulumi.Input<string>;
    tags: Record<string, string>;
}

/**
 * The security group of a group of servers: all outbound, nothing inbound until the load balancers
 * and peers that need them add rules. Created beside whatever runs on the servers, so the data
 * stores and the edge admit the servers by group whichever compute runs them. The name is in the
 * description, and AWS replaces a group whose description changes.
 */
export function serverSecurityGroup(name: string, args: ServerSecurityGroupArgs, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(`${name}-nodes`, {
        vpcId: args.vpcId,
        description: `Servers of node group ${name}`,
        egress: [{
            protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"],
            description: ruleDescription(`${name}-nodes egress`, `All outbound from the servers of ${name}: EKS control plane, ` +
                "container registries, AWS APIs, data stores and pods on other servers"),
        }],
        tags: named(args.tags, `${name}-nodes`),
    }, opts);
}
