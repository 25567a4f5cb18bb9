import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { instanceCapacity } from "../lib/instanceTypes";
import { named } from "../lib/tags";
import { serverSecurityGroup } from "./serverSecurityGroup";

export interface NodeGroupArgs {
    clusterName: pulumi.Input<string>;
    /**
     * Kubernetes version of the nodes: the control plane's, read from the cluster so a version
     * change reaches the nodes only after the control plane (EKS refuses nodes newer than it).
     * Without it a managed node group stays on the version it was created with.
     */
    version: pulumi.Input<string>;
    nodeRoleArn: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per zone: the group spreads its servers over them. */
    subnetIds: pulumi.Input<string>[];
    instanceType: string;
    /** Servers to run; the group never shrinks below this. */
    size: number;
    /** Kubernetes node labels. */
    labels: Record<string, string>;
    /** Keeps every pod off these nodes but those that tolerate it (NoSchedule). @default none */
    taint?: { key: string; value: string };
    /**
     * The servers' own security group, when it is made outside the node group (the tiers').
     * @default one of the group's own
     */
    securityGroupId?: pulumi.Input<string>;
    /** The cluster security group, which lets nodes and control plane talk. */
    clusterSecurityGroupId: pulumi.Input<string>;
    /** A node group this one is created and changed after, never beside. @default none */
    after?: pulumi.Resource;
    /** Root volume size. @default 40 */
    rootVolumeGiB?: number;
    tags: Record<string, string>;
}

/**
 * An EKS managed node group on a launch template that requires IMDSv2 and encrypts the root
 * volume, with a security group of its own so load balancers and data stores can admit exactly
 * these servers. Nodes get no public IP and no SSH: Systems Manager reaches them if needed.
 */
export class NodeGroup extends pulumi.ComponentResource {
    readonly securityGroupId: pulumi.Output<string>;
    readonly autoScalingGroupName: pulumi.Output<string>;
    readonly nodeGroup: aws.eks.NodeGroup;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:eks:NodeGroup", name, {}, opts);
        const parent = { parent: this };
        const { tags } = args;

        this.securityGroupId = args.securityGroupId
            ? pulumi.output(args.securityGroupId)
            : serverSecurityGroup(name, { vpcId: args.vpcId, tags }, parent).id;

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-lt`, {
            description: `Nodes of ${name}`,
            // Hop limit 1 keeps pods from the instance role; they use service-account roles.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { volumeSize: args.rootVolumeGiB ?? 40, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            }],
            vpcSecurityGroupIds: [args.clusterSecurityGroupId, this.securityGroupId],
            tagSpecifications: [
                { resourceType: "instance", tags: named(tags, name) },
                { resourceType: "volume", tags: named(tags, name) },
            ],
            tags,
        }, parent);

        const arm64 = instanceCapacity(args.instanceType)?.arm64 ?? false;
        this.nodeGroup = new aws.eks.NodeGroup(`${name}-ng`, {
            clusterName: args.clusterName,
            version: args.version,
            nodeRoleArn: args.nodeRoleArn,
            subnetIds: args.subnetIds,
            instanceTypes: [args.instanceType],
            amiType: arm64 ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
            capacityType: "ON_DEMAND",
            // One spare lets EKS bring up a replacement before draining a node on upgrades.
            scalingConfig: { desiredSize: args.size, minSize: args.size, maxSize: args.size + 1 },
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            labels: args.labels,
            taints: args.taint ? [{ key: args.taint.key, value: args.taint.value, effect: "NO_SCHEDULE" }] : [],
            tags: named(tags, name),
        }, { parent: this, dependsOn: args.after ? [args.after] : [] });
        this.autoScalingGroupName = this.nodeGroup.resources.apply((r) => r[0].autoscalingGroups![0].name!);

        this.registerOutputs({ securityGroupId: this.securityGroupId, autoScalingGroupName: this.autoScalingGroupName });
    }
}
