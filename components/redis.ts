import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clientOnlySecurityGroup } from "./clientOnlySecurityGroup";

export interface RedisArgs {
    vpcId: pulumi.Input<string>;
    /** Private data subnets, one per zone. */
    subnetIds: pulumi.Input<string>[];
    nodeType: string;
    /** Security groups of the only servers allowed to connect (the API tiers). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Days of daily snapshots. @default 7 */
    snapshotRetentionDays?: number;
    tags: Record<string, string>;
}

export const REDIS_PORT = 6379;

/**
 * ElastiCache for Redis: a primary and a replica in another zone with automatic failover,
 * encrypted at rest. Tracardi's Redis client speaks neither TLS nor AUTH (which AWS ties to
 * TLS), so transit encryption stays off and the network is the guard: data subnets, and a
 * security group admitting the API tiers only.
 */
export class Redis extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly port = REDIS_PORT;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:data:Redis", name, {}, opts);
        const parent = { parent: this };
        const { tags } = args;

        const securityGroup = clientOnlySecurityGroup(name, {
            vpcId: args.vpcId, service: "Redis", port: REDIS_PORT, clientSecurityGroupIds: args.clientSecurityGroupIds, tags,
        }, this);
        this.securityGroupId = securityGroup.id;

        const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, {
            description: "Tracardi Redis data subnets",
            subnetIds: args.subnetIds,
            tags,
        }, parent);

        const group = new aws.elasticache.ReplicationGroup(`${name}-rg`, {
            description: "Tracardi Redis",
            engine: "redis",
            engineVersion: "7.1",
            parameterGroupName: "default.redis7",
            nodeType: args.nodeType,
            port: REDIS_PORT,
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            transitEncryptionEnabled: false,
            subnetGroupName: subnets.name,
            securityGroupIds: [securityGroup.id],
            snapshotRetentionLimit: args.snapshotRetentionDays ?? 7,
            autoMinorVersionUpgrade: true,
            applyImmediately: false,
            tags,
        }, { parent: this, protect: true });
        this.host = group.primaryEndpointAddress;

        this.registerOutputs({ host: this.host });
    }
}
