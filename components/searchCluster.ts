import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    DAILY_SNAPSHOTS, ECK_OPERATOR, elasticsearchResource, nodesPerZone, S3_ACCESS_KEY_SETTING, S3_SECRET_KEY_SETTING, SEARCH_TIER, searchNetworkPolicy,
    searchPodResources, searchStorageClass, SnapshotSchedule, SEARCH_USER_COMPONENT, searchUserJob, SNAPSHOT_COMPONENT, snapshotJob, snapshotPolicy,
    snapshotAccessPolicy, snapshotCredentialsSecret, snapshotRepository,
} from "../lib/elasticsearch";
import { nodeModel } from "../lib/nodeModel";
import { TIER_LABEL, tierLabels } from "../lib/manifests";
import { TRACARDI_SEARCH_SECRET } from "../lib/search";
import { NodeGroup } from "./nodeGroup";
import { snapshotStore } from "./snapshotStore";

export interface EckSearchClusterArgs {
    provider: k8s.Provider;
    /** Namespace of the Tracardi workloads: the API pods mount the cluster's CA and password Secrets from it. */
    namespace: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    /** The control plane's Kubernetes version, which the search node groups follow. */
    kubernetesVersion: pulumi.Input<string>;
    nodeRoleArn: pulumi.Input<string>;
    clusterSecurityGroupId: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** The VPC's S3 gateway endpoint: the snapshot user's keys work through it only. */
    s3EndpointId: pulumi.Input<string>;
    /** Private data subnets, one per zone, in zone order. */
    subnetIds: pulumi.Input<string>[];
    /** Pinned Elasticsearch version. */
    version: string;
    /** Master-eligible data nodes. */
    nodes: number;
    /** Memory-optimised servers, one search node each. */
    instanceType: string;
    volumeGiB: number;
    /** Components (`app.kubernetes.io/component`) allowed to reach port 9200: the API tiers and their workers. */
    clients: string[];
    /** IAM roles or users that may read the snapshots (copy them out, restore them elsewhere). @default [] */
    snapshotReaderArns?: string[];
    /** When snapshots are taken and how long they are kept. @default daily at 01:30 UTC, kept 30 days */
    snapshots?: SnapshotSchedule;
    /** Days S3 keeps a deleted or overwritten snapshot file before removing it for good. @default 30 */
    noncurrentVersionDays?: number;
    /** What must exist before the operator installs (system nodes, CoreDNS, the EBS CSI driver). */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    tags: Record<string, string>;
}

/**
 * Elasticsearch on EKS through the ECK operator: a node group per zone reserved for search, an
 * encrypted retained gp3 storage class, the cluster itself (protected), a network policy that
 * admits only Tracardi, and daily snapshots to an encrypted, versioned S3 bucket written by an IAM
 * user limited to that bucket, whose keys the nodes' keystore holds.
 */
export class EckSearchCluster extends pulumi.ComponentResource {
    readonly snapshotBucket: pulumi.Output<string>;
    /** The job that creates Tracardi's search user, awaited until complete (after the cluster is green): what the API's Deployments wait for. */
    readonly ready: k8s.batch.v1.Job;

    constructor(name: string, args: EckSearchClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:search:EckCluster", name, {}, opts);
        const parent = { parent: this };
        const k8sOptions = { parent: this, provider: args.provider };
        const { tags } = args;
        const node = nodeModel(args.instanceType);
        if (!node) {
            throw new pulumi.InputPropertyError({ propertyPath: "elasticsearch.instanceType", reason: `${args.instanceType} cannot be sized` });
        }
        const region = aws.getRegionOutput({}, parent).region;

        // One group per zone: a search node always comes back in the zone that holds its volume.
        // Each group changes after the one before it: an upgrade drains one search node at a time,
        // as ECK's disruption budget allows, instead of three drains timing out together.
        const nodeGroups: NodeGroup[] = [];
        nodesPerZone(args.nodes, args.subnetIds.length).forEach((size, zone) => nodeGroups.push(new NodeGroup(`${name}-${zone}`, {
            clusterName: args.clusterName,
            version: args.kubernetesVersion,
            nodeRoleArn: args.nodeRoleArn,
            vpcId: args.vpcId,
            subnetIds: [args.subnetIds[zone]],
            instanceType: args.instanceType,
            size,
            labels: { [TIER_LABEL]: SEARCH_TIER },
            taint: { key: TIER_LABEL, value: SEARCH_TIER },
            clusterSecurityGroupId: args.clusterSecurityGroupId,
            after: nodeGroups[zone - 1]?.nodeGroup,
            tags,
        }, parent)));

        const operator = new k8s.helm.v3.Release(`${name}-operator`, {
            name: "elastic-operator",
            chart: ECK_OPERATOR.chart,
            version: ECK_OPERATOR.version,
            repositoryOpts: { repo: ECK_OPERATOR.repository },
            namespace: ECK_OPERATOR.namespace,
            createNamespace: true,
            // Tracardi reads the CA file once, at start-up: a rotated CA (yearly by default) would cut
            // every API pod off search until restarted. Five years makes that a planned event.
            values: {
                installCRDs: true, telemetry: { disabled: true }, config: { caValidity: ECK_OPERATOR.caValidity }, resources: ECK_OPERATOR.resources,
            },
        }, { ...k8sOptions, dependsOn: args.dependsOn });

        const storageClass = new k8s.storage.v1.StorageClass(`${name}-storage`, searchStorageClass(tags), k8sOptions);

        // A user of its own, limited to the bucket and its key: the nodes' keystore holds its key
        // pair (see snapshotCredentialsSecret for why not service-account credentials).
        const user = new aws.iam.User(`${name}-snapshots`, { path: "/tracardi/", tags }, parent);
        const { key, bucket, ready: bucketReady } = snapshotStore(name, {
            writerArns: [user.arn], region, readerArns: args.snapshotReaderArns, noncurrentVersionDays: args.noncurrentVersionDays, tags,
        }, this);
        this.snapshotBucket = bucket.bucket;

        const userPolicy = new aws.iam.UserPolicy(`${name}-snapshots`, {
            user: user.name,
            policy: pulumi.all([bucket.arn, key.arn, args.s3EndpointId]).apply(([bucketArn, keyArn, endpoint]) => snapshotAccessPolicy(bucketArn, keyArn, endpoint)),
        }, parent);
        // `pulumi up --replace` on this key rotates it: the new key and a Secret named for it are
        // created first, the cluster is pointed at that Secret and awaited while ECK rolls the nodes
        // onto it one at a time, and only then are the old Secret and key deleted (README).
        const accessKey = new aws.iam.AccessKey(`${name}-snapshots`, { user: user.name }, parent);
        const credentialsName = accessKey.id.apply(snapshotCredentialsSecret);
        const credentials = new k8s.core.v1.Secret(`${name}-s3-credentials`, {
            metadata: { name: credentialsName, namespace: args.namespace, labels: tierLabels(SEARCH_TIER) },
            type: "Opaque",
            stringData: pulumi.secret(pulumi.all([accessKey.id, accessKey.secret]).apply(([id, secret]) => ({
                [S3_ACCESS_KEY_SETTING]: id, [S3_SECRET_KEY_SETTING]: secret,
            }))),
        }, k8sOptions);

        const resources = searchPodResources(node);
        const manifest = pulumi.all([args.namespace, region, credentialsName]).apply(([namespace, regionName, credentialsSecret]) =>
            elasticsearchResource({
                namespace, version: args.version, nodes: args.nodes, resources, volumeGiB: args.volumeGiB, region: regionName, credentialsSecret,
            }));
        const elasticsearch = new k8s.apiextensions.CustomResource(`${name}-es`, {
            apiVersion: "elasticsearch.k8s.elastic.co/v1",
            kind: "Elasticsearch",
            metadata: manifest.metadata,
            spec: manifest.spec,
        }, {
            ...k8sOptions,
            protect: true,
            dependsOn: [operator, storageClass, credentials, userPolicy, ...nodeGroups],
            // Awaited until Ready and green (SEARCH_AWAIT): nodes joining on create, a rolling restart node by node on update.
            customTimeouts: { create: "30m", update: "60m" },
        });

        // Tracardi's own user: its password, generated once, reaches the user job and the API as a Secret.
        const tracardiPassword = new random.RandomPassword(`${name}-tracardi-user`, { length: 32, special: false }, parent);
        const userSecret = new k8s.core.v1.Secret(`${name}-tracardi-user`, {
            metadata: { name: TRACARDI_SEARCH_SECRET.name, namespace: args.namespace, labels: tierLabels(SEARCH_TIER) },
            type: "Opaque",
            stringData: { [TRACARDI_SEARCH_SECRET.key]: tracardiPassword.result },
        }, k8sOptions);

        const policy = pulumi.output(args.namespace).apply((namespace) =>
            searchNetworkPolicy(namespace, [...args.clients, SNAPSHOT_COMPONENT, SEARCH_USER_COMPONENT]));
        new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, { metadata: policy.metadata, spec: policy.spec }, k8sOptions);

        const job = pulumi.all([args.namespace, bucket.bucket]).apply(([namespace, bucketName]) => snapshotJob({
            namespace,
            repository: snapshotRepository(bucketName),
            policy: snapshotPolicy(args.snapshots ?? DAILY_SNAPSHOTS),
        }));
        // Both jobs wait for a cluster whose nodes may still be joining.
        const timeouts = { create: "40m", update: "40m" };
        new k8s.batch.v1.Job(`${name}-snapshots`, { metadata: job.metadata, spec: job.spec }, {
            ...k8sOptions, dependsOn: [elasticsearch, ...bucketReady], customTimeouts: timeouts,
        });
        // Awaited until complete: once it is, the cluster is green and Tracardi's user exists.
        const userJob = pulumi.output(args.namespace).apply(searchUserJob);
        this.ready = new k8s.batch.v1.Job(`${name}-user`, { metadata: userJob.metadata, spec: userJob.spec }, {
            ...k8sOptions, dependsOn: [elasticsearch, userSecret], customTimeouts: timeouts,
        });

        this.registerOutputs({ snapshotBucket: this.snapshotBucket });
    }
}
