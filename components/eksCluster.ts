import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicy, serviceAccountTrustPolicy, serviceTrustPolicy } from "../lib/iam";
import { eksSecretsKeyPolicy } from "../lib/kms";
import { renderKubeconfig } from "../lib/kubeconfig";
import { named } from "../lib/tags";
import { NodeGroup } from "./nodeGroup";

export interface EksClusterArgs {
    /** Cluster name; also names its log group, so it is set rather than generated. */
    clusterName: string;
    /** Kubernetes minor version, pinned. */
    version: string;
    vpcId: pulumi.Input<string>;
    /** Subnets for the control plane's network interfaces (the private application subnets). */
    subnetIds: pulumi.Input<string>[];
    /** IPv4 networks allowed to reach the public API endpoint; none closes it to private access only. */
    publicAccessCidrs: string[];
    /** Nodes for the add-ons, operators and jobs: untainted, so cluster services schedule there. */
    systemNodes: { instanceType: string; size: number };
    /** IAM roles given cluster-admin. @default [] */
    adminRoleArns?: string[];
    /** Days to keep control-plane logs. @default 90 */
    logRetentionDays?: number;
    tags: Record<string, string>;
}

export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/**
 * An EKS control plane with secrets encrypted by its own KMS key, control-plane logs, API
 * authentication through access entries, an OIDC provider for service-account roles, the core
 * add-ons, and a Kubernetes provider for the workloads.
 */
export class EksCluster extends pulumi.ComponentResource {
    readonly cluster: aws.eks.Cluster;
    readonly clusterName: pulumi.Output<string>;
    /** The control plane's Kubernetes version, once it runs it: what node groups and add-ons follow. */
    readonly version: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    /** Add-ons the workloads need before they start (CoreDNS, storage). */
    readonly addons: aws.eks.Addon[];
    readonly kubeconfig: pulumi.Output<string>;
    readonly nodeRoleArn: pulumi.Output<string>;
    readonly systemNodes: NodeGroup;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:eks:Cluster", name, {}, opts);
        const parent = { parent: this };
        const { tags } = args;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const region = aws.getRegionOutput({}, parent).name;

        const role = new aws.iam.Role(`${name}-control-plane`, {
            assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com"),
            managedPolicyArns: [partition.apply((p) => managedPolicy(p, "AmazonEKSClusterPolicy"))],
            tags,
        }, parent);

        // After the role: a key policy may name only principals that exist.
        const secretsKey = new aws.kms.Key(`${name}-secrets`, {
            description: `Encrypts Kubernetes secrets of ${args.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: role.arn.apply(eksSecretsKeyPolicy),
            tags,
        }, parent);

        // Created first so its retention applies; EKS would otherwise create it to keep forever.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/aws/eks/${args.clusterName}/cluster`,
            retentionInDays: args.logRetentionDays ?? 90,
            tags,
        }, parent);

        const publicAccess = args.publicAccessCidrs.length > 0;
        this.cluster = new aws.eks.Cluster(`${name}-cluster`, {
            name: args.clusterName,
            version: args.version,
            roleArn: role.arn,
            vpcConfig: {
                subnetIds: args.subnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: publicAccess,
                publicAccessCidrs: publicAccess ? args.publicAccessCidrs : undefined,
            },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
            encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
            enabledClusterLogTypes: CONTROL_PLANE_LOGS,
            tags: named(tags, args.clusterName),
        }, { parent: this, dependsOn: [logGroup] });
        this.clusterName = this.cluster.name;
        this.version = this.cluster.version;
        this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

        this.oidcIssuerUrl = this.cluster.identities.apply((ids) => ids[0].oidcs![0].issuer!);
        const oidc = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, {
            url: this.oidcIssuerUrl,
            clientIdLists: ["sts.amazonaws.com"],
            tags,
        }, parent);
        this.oidcProviderArn = oidc.arn;

        (args.adminRoleArns ?? []).forEach((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, { clusterName: this.cluster.name, principalArn, tags }, parent);
            new aws.eks.AccessPolicyAssociation(`${name}-admin-${i}`, {
                clusterName: this.cluster.name,
                principalArn: entry.principalArn,
                policyArn: partition.apply((p) => `arn:${p}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`),
                accessScope: { type: "cluster" },
            }, parent);
        });

        const ebsCsiRole = new aws.iam.Role(`${name}-ebs-csi`, {
            assumeRolePolicy: pulumi.all([oidc.arn, this.oidcIssuerUrl]).apply(([arn, url]) =>
                serviceAccountTrustPolicy(arn, url, "kube-system", "ebs-csi-controller-sa")),
            managedPolicyArns: [partition.apply((p) => managedPolicy(p, "service-role/AmazonEBSCSIDriverPolicy"))],
            tags,
        }, parent);

        const nodeRole = new aws.iam.Role(`${name}-nodes`, {
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
            managedPolicyArns: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy",
                "AmazonSSMManagedInstanceCore"].map((policy) => partition.apply((p) => managedPolicy(p, policy))),
            tags,
        }, parent);
        this.nodeRoleArn = nodeRole.arn;

        this.systemNodes = new NodeGroup(`${name}-system`, {
            clusterName: this.cluster.name,
            version: this.version,
            nodeRoleArn: nodeRole.arn,
            vpcId: args.vpcId,
            subnetIds: args.subnetIds,
            instanceType: args.systemNodes.instanceType,
            size: args.systemNodes.size,
            labels: { "tracardi.io/tier": "system" },
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            tags,
        }, parent);

        // Each add-on at EKS's default version for the control plane's Kubernetes version, looked up
        // at deploy time: without a version an add-on keeps the one it was installed with when the
        // control plane moves on. Read from the cluster, so add-ons move after the control plane.
        // Add-ons with pods only turn active once there are nodes to run them.
        const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs> = {}) => new aws.eks.Addon(`${name}-${addonName}`, {
            clusterName: this.cluster.name,
            addonName,
            addonVersion: aws.eks.getAddonVersionOutput({ addonName, kubernetesVersion: this.version, mostRecent: false }, parent).version,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags,
            ...extra,
        }, { parent: this, dependsOn: [this.systemNodes] });
        // Network policy enforcement keeps search reachable from the API tiers only.
        addon("vpc-cni", { configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) });
        addon("kube-proxy");
        this.addons = [
            addon("coredns"),
            addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiRole.arn }),
        ];

        this.kubeconfig = pulumi.secret(pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority, region])
            .apply(([clusterName, endpoint, ca, regionName]) =>
                renderKubeconfig({ clusterName, endpoint, certificateAuthority: ca.data!, region: regionName })));
        this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, parent);

        this.registerOutputs({ clusterName: this.clusterName, oidcProviderArn: this.oidcProviderArn });
    }
}
