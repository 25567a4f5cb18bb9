import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import {
    SEARCH_LAUNCH_HOOK, SEARCH_NODE_TAG, SEARCH_SECRET_REFS, SearchNode, searchNodeName, searchNodeStatements, searchNodeUserData,
} from "../lib/ec2Search";
import { DAILY_SNAPSHOTS, HTTP_PORT, snapshotAccessStatements, snapshotPolicy, snapshotRepository, SnapshotSchedule, TRANSPORT_PORT } from "../lib/elasticsearch";
import { ruleDescription } from "../lib/securityGroups";
import { named, TIER_TAG } from "../lib/tags";
import { secretKey } from "../lib/vmUserData";
import { clientOnlySecurityGroup } from "./clientOnlySecurityGroup";
import { snapshotStore } from "./snapshotStore";
import { serverSecurityGroup } from "./serverSecurityGroup";
import { serverRole, VmTier } from "./vmTier";

export interface Ec2SearchClusterArgs {
    vpcId: pulumi.Input<string>;
    /** Private data subnets, one per zone, in zone order: node k lives in zone k. */
    subnetIds: pulumi.Input<string>[];
    /** The zones of those subnets, in the same order. */
    zones: pulumi.Input<string[]>;
    /** The VPC's S3 gateway endpoint: the nodes reach the snapshot bucket through it only. */
    s3EndpointId: pulumi.Input<string>;
    /** Pinned Elasticsearch version. */
    version: string;
    /** Master-eligible data nodes, one per zone. */
    nodes: number;
    instanceType: string;
    volumeGiB: number;
    /** Security groups of the servers that may call search (the API tiers; the workers' server shares the GUI-facing one's). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** IAM roles or users that may read the snapshots. @default [] */
    snapshotReaderArns?: string[];
    /** When snapshots are taken and how long they are kept. @default daily at 01:30 UTC, kept 30 days */
    snapshots?: SnapshotSchedule;
    /** AWS refuses to delete the load balancer. */
    deletionProtection: boolean;
    /** Days to keep the nodes' logs. @default 90 */
    logRetentionDays?: number;
    tags: Record<string, string>;
}

/**
 * Seconds a new node has to join the cluster before its group gives the server up and starts
 * another (AWS allows 30 to 7200); once joined, the node keeps its launch pending with heartbeats
 * while shards recover, until the cluster is green.
 */
const JOIN_SECONDS = 1800;
/** Load balancer and target group names get 8 characters from auto-naming; AWS allows 32. */
const MAX_NAME_LENGTH = 21;
/** The stack's CA signs the nodes' certificates; Tracardi reads the CA once, at start-up: ten years makes its renewal a planned event. */
const CA_HOURS = 10 * 365 * 24;
const NODE_CERT_HOURS = 5 * 365 * 24;

/**
 * Elasticsearch on EC2 servers of its own: per zone one master-eligible data node, kept alive by
 * an Auto Scaling group of one, whose identity (its encrypted gp3 volume, protected, and its
 * network interface with a fixed private address) the stack creates in that zone and every
 * replacement server attaches at boot. TLS on transport and HTTP with a CA and node certificates
 * the stack generates; the nodes read their keys and passwords from a Secrets Manager secret at
 * every start. One endpoint: an internal network load balancer over the nodes' addresses, which
 * admits 9200 from the API tiers only. Daily snapshots to an encrypted, versioned bucket through
 * the nodes' instance roles.
 */
export class Ec2SearchCluster extends pulumi.ComponentResource {
    /** The load balancer's DNS name: the one endpoint of the cluster. */
    readonly endpoint: pulumi.Output<string>;
    /** The password of Tracardi's search user, and the CA of the cluster's certificates (PEM). */
    readonly tracardiPassword: pulumi.Output<string>;
    readonly ca: pulumi.Output<string>;
    /** The nodes' groups: created once every node has joined a green cluster and Tracardi's user exists. */
    readonly ready: VmTier[];
    readonly snapshotBucket: pulumi.Output<string>;

    constructor(name: string, args: Ec2SearchClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:search:Ec2Cluster", name, {}, opts);
        if (name.length > MAX_NAME_LENGTH) {
            throw new Error(`Ec2SearchCluster name "${name}" is longer than ${MAX_NAME_LENGTH} characters: its load balancer's name would pass AWS's 32`);
        }
        if (args.nodes < 1 || args.nodes > args.subnetIds.length) {
            throw new pulumi.InputPropertyError({
                propertyPath: "elasticsearch.nodes", reason: `${args.nodes} nodes cannot have a zone each of ${args.subnetIds.length}`,
            });
        }
        const parent = { parent: this };
        // Every resource of search names its tier: the policy pack tells the search endpoint from the tiers' by it.
        const tags = { ...args.tags, [TIER_TAG]: "search" };
        const region = aws.getRegionOutput({}, parent).region;
        const zones = pulumi.output(args.zones);

        // The nodes' group admits transport from its members and HTTP from the load balancer only.
        const nodeGroup = serverSecurityGroup(name, { vpcId: args.vpcId, tags }, parent);
        const endpointGroup = clientOnlySecurityGroup(`${name}-endpoint`, {
            vpcId: args.vpcId, service: "Elasticsearch", port: HTTP_PORT, clientSecurityGroupIds: args.clientSecurityGroupIds, tags,
        }, this);
        new aws.vpc.SecurityGroupEgressRule(`${name}-endpoint-to-nodes`, {
            securityGroupId: endpointGroup.id, referencedSecurityGroupId: nodeGroup.id, ipProtocol: "tcp", fromPort: HTTP_PORT, toPort: HTTP_PORT,
            description: ruleDescription(`${name}-endpoint-to-nodes`, `Elasticsearch HTTP (tcp ${HTTP_PORT}) to the search nodes: requests and health checks`),
            tags,
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${name}-http-from-endpoint`, {
            securityGroupId: nodeGroup.id, referencedSecurityGroupId: endpointGroup.id, ipProtocol: "tcp", fromPort: HTTP_PORT, toPort: HTTP_PORT,
            description: ruleDescription(`${name}-http-from-endpoint`, `Elasticsearch HTTP (tcp ${HTTP_PORT}) from the internal load balancer only`),
            tags,
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${name}-transport`, {
            securityGroupId: nodeGroup.id, referencedSecurityGroupId: nodeGroup.id, ipProtocol: "tcp", fromPort: TRANSPORT_PORT, toPort: TRANSPORT_PORT,
            description: ruleDescription(`${name}-transport`, `Elasticsearch transport (tcp ${TRANSPORT_PORT}) among the search nodes: cluster state and shard copies`),
            tags,
        }, parent);

        // Each node's identity, in its zone: an address and a volume. Volumes hold the data: protected,
        // and a last snapshot if one is ever deleted.
        const identities = Array.from({ length: args.nodes }, (_, k) => {
            const nodeTags = { ...tags, [SEARCH_NODE_TAG]: searchNodeName(k) };
            const networkInterface = new aws.ec2.NetworkInterface(`${name}-${k}`, {
                subnetId: args.subnetIds[k],
                securityGroups: [nodeGroup.id],
                description: `Elasticsearch node ${searchNodeName(k)}: its fixed address, attached by whichever server runs it`,
                tags: named(nodeTags, `${name}-${k}`),
            }, parent);
            const volume = new aws.ebs.Volume(`${name}-${k}`, {
                availabilityZone: zones.apply((z) => z[k]),
                size: args.volumeGiB,
                type: "gp3",
                encrypted: true,
                finalSnapshot: true,
                tags: named(nodeTags, `${name}-${k}`),
            }, { parent: this, protect: true });
            return { networkInterface, volume };
        });

        const endpoint = new aws.lb.LoadBalancer(`${name}-lb`, {
            loadBalancerType: "network",
            internal: true,
            subnets: args.subnetIds,
            securityGroups: [endpointGroup.id],
            // A zone whose node is down still forwards to the others.
            enableCrossZoneLoadBalancing: true,
            enableDeletionProtection: args.deletionProtection,
            tags: named(tags, `${name}-lb`),
        }, parent);
        this.endpoint = endpoint.dnsName;
        const targets = new aws.lb.TargetGroup(`${name}-tg`, {
            vpcId: args.vpcId,
            targetType: "ip",
            port: HTTP_PORT,
            protocol: "TCP",
            healthCheck: { enabled: true, protocol: "TCP", port: "traffic-port", interval: 10, timeout: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
            deregistrationDelay: 30,
            tags: named(tags, `${name}-tg`),
        }, parent);
        identities.forEach(({ networkInterface }, k) => new aws.lb.TargetGroupAttachment(`${name}-${k}`, {
            targetGroupArn: targets.arn, targetId: networkInterface.privateIp, port: HTTP_PORT,
        }, parent));
        new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: endpoint.arn, port: HTTP_PORT, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
            // The API keeps pooled connections to search; the NLB's default 350 s would reset quiet
            // ones under it. An hour (AWS allows 60 to 6000 s on TCP listeners).
            tcpIdleTimeoutSeconds: 3600,
            tags,
        }, parent);

        // TLS end to end: the load balancer passes TCP through; the nodes present certificates of the stack's CA.
        const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, parent);
        const ca = new tls.SelfSignedCert(`${name}-ca`, {
            privateKeyPem: caKey.privateKeyPem,
            subject: { commonName: "Tracardi search CA", organization: "Tracardi" },
            isCaCertificate: true,
            validityPeriodHours: CA_HOURS,
            allowedUses: ["cert_signing", "crl_signing"],
        }, parent);
        this.ca = ca.certPem;
        const nodeKeys = identities.map(({ networkInterface }, k) => {
            const key = new tls.PrivateKey(`${name}-${k}`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, parent);
            const request = new tls.CertRequest(`${name}-${k}`, {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: searchNodeName(k), organization: "Tracardi" },
                dnsNames: [endpoint.dnsName, "localhost"],
                ipAddresses: [networkInterface.privateIp, "127.0.0.1"],
            }, parent);
            const cert = new tls.LocallySignedCert(`${name}-${k}`, {
                certRequestPem: request.certRequestPem,
                caPrivateKeyPem: caKey.privateKeyPem,
                caCertPem: ca.certPem,
                validityPeriodHours: NODE_CERT_HOURS,
                // A later `pulumi up` within a year of expiry issues a new one; nodes read it at their next start.
                earlyRenewalHours: 365 * 24,
                allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
            }, parent);
            return { key: key.privateKeyPem, cert: cert.certPem };
        });

        const elasticPassword = new random.RandomPassword(`${name}-elastic`, { length: 32, special: false }, parent);
        const tracardiPassword = new random.RandomPassword(`${name}-tracardi-user`, { length: 32, special: false }, parent);
        this.tracardiPassword = tracardiPassword.result;
        const refs = SEARCH_SECRET_REFS;
        const entries = pulumi.all([elasticPassword.result, tracardiPassword.result, ca.certPem, pulumi.all(nodeKeys.map((n) => pulumi.all([n.key, n.cert])))])
            .apply(([elastic, tracardi, caPem, pairs]) => JSON.stringify(Object.fromEntries([
                [secretKey(refs.elasticPassword), elastic],
                [secretKey(refs.tracardiPassword), tracardi],
                [secretKey(refs.ca), caPem],
                ...pairs.flatMap(([key, cert], k) => [[secretKey(refs.nodeKey(searchNodeName(k))), key], [secretKey(refs.nodeCert(searchNodeName(k))), cert]]),
            ])));
        const secret = new aws.secretsmanager.Secret(`${name}-secrets`, {
            description: "Keys and passwords the Tracardi search nodes read at every start",
            recoveryWindowInDays: 7,
            tags,
        }, parent);
        const secretVersion = new aws.secretsmanager.SecretVersion(`${name}-secrets`, { secretId: secret.id, secretString: pulumi.secret(entries) }, parent);
        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays ?? 90, tags }, parent);

        // Snapshots as on EKS, written with the nodes' instance roles (credentials IMDS refreshes)
        // instead of a user's keys. A role per node, made here: the snapshot key's policy names them,
        // and the key comes before the bucket whose name is in the nodes' user data. One role each
        // also keeps every role's inline policies far below IAM's 10,240 characters.
        const roles = identities.map((_, k) => serverRole(`${name}-${k}-servers`, `Elasticsearch server of Tracardi node ${searchNodeName(k)}`, tags, this));
        const { key, bucket, ready: bucketReady } = snapshotStore(name, { writerArns: roles.map((r) => r.arn), region, readerArns: args.snapshotReaderArns, tags }, this);
        this.snapshotBucket = bucket.bucket;
        const snapshotStatements = pulumi.all([bucket.arn, key.arn, args.s3EndpointId])
            .apply(([bucketArn, keyArn, endpointId]) => snapshotAccessStatements(bucketArn, keyArn, endpointId));

        const nodes: pulumi.Output<SearchNode[]> = pulumi.all(identities.map(({ networkInterface, volume }) =>
            pulumi.all([networkInterface.id, networkInterface.privateIp, volume.id, volume.availabilityZone])))
            .apply((values) => values.map(([networkInterfaceId, address, volumeId, zone], index) => ({ index, zone, address, networkInterfaceId, volumeId })));
        const schedule = args.snapshots ?? DAILY_SNAPSHOTS;
        this.ready = identities.map(({ networkInterface, volume }, k) => {
            const userData = pulumi.all([region, nodes, secret.arn, logs.name, bucket.bucket]).apply(([regionName, all, secretArn, logGroup, bucketName]) =>
                searchNodeUserData({
                    region: regionName, version: args.version, instanceType: args.instanceType, node: all[k], nodes: all, secretArn, logGroup,
                    repository: snapshotRepository(bucketName), policy: snapshotPolicy(schedule),
                }));
            return new VmTier(`${name}-${k}`, {
                tier: "search",
                instanceType: args.instanceType,
                size: 1,
                subnetIds: [args.subnetIds[k]],
                securityGroupId: nodeGroup.id,
                userData,
                secretArn: secret.arn,
                logGroupArn: logs.arn,
                // The old server goes first: the new one needs its volume and address.
                minHealthyPercentage: 0,
                exclusive: true,
                // A template change reaches a node when its server is next replaced, one zone at a time by
                // the operator (README, "Search on EC2 servers"): three refreshes at once would stop every node.
                refreshOnChange: false,
                healthCheckType: "EC2",
                launchHook: { name: SEARCH_LAUNCH_HOOK, heartbeatSeconds: JOIN_SECONDS },
                role: roles[k],
                extraStatements: pulumi.all([volume.arn, networkInterface.arn, snapshotStatements]).apply(([volumeArn, networkInterfaceArn, snapshot]) => [
                    ...searchNodeStatements({ nodeName: searchNodeName(k), volumeArn, networkInterfaceArn }),
                    ...snapshot,
                ]),
                tags: { ...args.tags, [SEARCH_NODE_TAG]: searchNodeName(k) },
            }, { parent: this, dependsOn: [secretVersion, ...bucketReady] });
        });

        this.registerOutputs({ endpoint: this.endpoint, snapshotBucket: this.snapshotBucket });
    }
}
