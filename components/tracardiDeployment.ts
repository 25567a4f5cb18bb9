import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isIpv6Cidr } from "../lib/cidr";
import { eksTierServing, TIER_LABEL } from "../lib/manifests";
import { stackNames } from "../lib/naming";
import { planSubnets } from "../lib/subnets";
import { RELEASES } from "../lib/releases";
import { searchConnection } from "../lib/search";
import { baseTags } from "../lib/tags";
import { planTiers, TierName, TierPlan } from "../lib/tiers";
import type { DataEndpoints } from "../lib/tracardiEnv";
import type { StackSpec } from "../stacks/schema";
import type { SecretName } from "../stacks/secrets";
import { Edge } from "./edge";
import { serverSecurityGroup } from "./serverSecurityGroup";
import { DatabaseVersion } from "./databaseVersion";
import { EksCluster } from "./eksCluster";
import { ExternalSearch } from "./externalSearch";
import { Mysql } from "./mysql";
import { Network } from "./network";
import { NodeGroup } from "./nodeGroup";
import { Redis } from "./redis";
import { EckSearchCluster } from "./searchCluster";
import { StackSecrets } from "./stackSecrets";
import { TracardiWorkloads } from "./tracardiWorkloads";

export interface TracardiDeploymentArgs {
    spec: StackSpec;
    /** Stack name, carried in tags and names so a customer's resources can be found. */
    stack: string;
    /** Secrets set in the stack's secret config; the rest are generated. */
    givenSecrets: Partial<Record<SecretName, pulumi.Output<string>>>;
}

/** One customer's Tracardi: the root every other resource of the stack hangs from. */
export class TracardiDeployment extends pulumi.ComponentResource {
    readonly network: Network;
    readonly eks: EksCluster;
    readonly tiers: TierPlan[];
    readonly nodeGroups: Partial<Record<TierName, NodeGroup>>;
    readonly secrets: StackSecrets;
    readonly workloads: TracardiWorkloads;
    readonly edge: Edge;

    constructor(name: string, args: TracardiDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:index:Deployment", name, {}, opts);
        const { spec } = args;
        const parent = { parent: this };
        const tags = baseTags(args.stack, spec.tags);
        const names = stackNames(args.stack);
        const release = RELEASES[spec.version];
        this.tiers = planTiers(spec);

        // First, so that an accidental change of database version stops the run before anything changes.
        const database = new DatabaseVersion(`${name}-database`, {
            databaseVersion: release.databaseVersion, migrating: spec.upgradeFrom !== undefined,
        }, parent);

        this.network = new Network(`${name}-net`, {
            cidr: spec.network.cidr,
            zoneCount: spec.network.availabilityZones,
            natGateways: spec.network.natGateways,
            tags,
        }, parent);
        const { vpcId, subnetIds } = this.network;

        this.eks = new EksCluster(`${name}-eks`, {
            clusterName: names.clusterName,
            version: spec.kubernetes.version,
            vpcId,
            subnetIds: subnetIds.app,
            // The endpoint takes IPv4 ranges only; operators on IPv6 reach it through the VPC.
            publicAccessCidrs: spec.trustedCidrs.filter((cidr) => !isIpv6Cidr(cidr)),
            systemNodes: { instanceType: spec.kubernetes.systemInstanceType, size: spec.kubernetes.systemNodes },
            adminRoleArns: spec.kubernetes.adminRoleArns,
            tags,
        }, parent);

        // Each tier's servers have a security group made here, outside compute: the data stores and
        // the edge admit the tier by it, whatever runs the servers. It used to be the node group's
        // own child: the alias keeps the group (and every rule naming it) in place.
        const serverGroups = Object.fromEntries(this.tiers.map((tier) => [tier.name, serverSecurityGroup(`${name}-${tier.name}`, {
            vpcId, servers: `${name}-${tier.name}`, tags,
        }, { parent: this, aliases: [{ parent: pulumi.createUrn(`${name}-${tier.name}`, "tracardi:eks:NodeGroup", this) }] })])) as
            Record<TierName, aws.ec2.SecurityGroup>;

        this.nodeGroups = {};
        for (const tier of this.tiers) {
            this.nodeGroups[tier.name] = new NodeGroup(`${name}-${tier.name}`, {
                securityGroupId: serverGroups[tier.name].id,
                clusterName: this.eks.clusterName,
                version: this.eks.version,
                nodeRoleArn: this.eks.nodeRoleArn,
                vpcId,
                subnetIds: subnetIds.app,
                instanceType: tier.instanceType,
                // One server per instance: every API instance on a server of its own.
                size: tier.instances,
                labels: { [TIER_LABEL]: tier.name },
                taint: { key: TIER_LABEL, value: tier.name },
                clusterSecurityGroupId: this.eks.clusterSecurityGroupId,
                tags,
            }, parent);
        }
        const apiTiers = this.tiers.filter((t) => t.kind === "api");
        const apiSecurityGroups = apiTiers.map((t) => this.nodeGroups[t.name]!.securityGroupId);

        this.secrets = new StackSecrets(`${name}-secrets`, { given: args.givenSecrets }, parent);

        const redis = new Redis(`${name}-redis`, {
            vpcId,
            subnetIds: subnetIds.data,
            nodeType: spec.redis.nodeType,
            clientSecurityGroupIds: apiSecurityGroups,
            tags,
        }, parent);

        const mysql = release.needsMysql
            ? new Mysql(`${name}-mysql`, {
                vpcId,
                subnetIds: subnetIds.data,
                ...spec.mysql,
                identifier: names.clusterName,
                password: this.secrets.values.mysqlPassword,
                clientSecurityGroupIds: apiSecurityGroups,
                deletionProtection: spec.deletionProtection,
                tags,
            }, parent)
            : undefined;

        const search = searchConnection(spec.elasticsearch, args.givenSecrets.elasticsearchCa !== undefined);
        const data: pulumi.Output<DataEndpoints> = pulumi.all([redis.host, mysql?.host]).apply(([redisHost, mysqlHost]) => ({
            search,
            redis: { host: redisHost, port: redis.port },
            mysql: mysql && mysqlHost ? { host: mysqlHost, port: mysql.port, username: mysql.username, database: mysql.database } : undefined,
        }));

        // Search is built after the workloads (it lives in their namespace), yet the API needs it
        // at start-up: the API's Deployments wait on a promise of the cluster, kept below.
        let searchBuilt: (ready: pulumi.Resource) => void = () => undefined;
        const searchReady = spec.elasticsearch.provider === "eck" ? new Promise<pulumi.Resource>((resolve) => (searchBuilt = resolve)) : undefined;
        this.workloads = new TracardiWorkloads(`${name}-app`, {
            provider: this.eks.provider,
            namespace: names.namespace,
            release,
            tiers: this.tiers,
            data,
            secrets: this.secrets.values,
            adminEmail: spec.adminEmail,
            settings: { queryTimeoutSeconds: spec.elasticsearch.queryTimeoutSeconds, destinations: spec.destinations },
            loadBalancerCidrs: planSubnets(spec.network.cidr, spec.network.availabilityZones).filter((s) => s.tier === "public").map((s) => s.cidr),
            dependsOn: [...Object.values(this.nodeGroups), ...this.eks.addons, database],
            searchReady,
        }, parent);

        // Search lives in the workloads' namespace, whose pods mount its CA and password Secrets,
        // so it follows the namespace; the API's pods follow the cluster once it is green.
        if (spec.elasticsearch.provider === "eck") {
            const search = new EckSearchCluster(`${name}-search`, {
                provider: this.eks.provider,
                namespace: this.workloads.namespace,
                clusterName: this.eks.clusterName,
                kubernetesVersion: this.eks.version,
                nodeRoleArn: this.eks.nodeRoleArn,
                clusterSecurityGroupId: this.eks.clusterSecurityGroupId,
                vpcId,
                subnetIds: subnetIds.data,
                s3EndpointId: this.network.s3EndpointId,
                version: spec.elasticsearch.version,
                nodes: spec.elasticsearch.nodes,
                instanceType: spec.elasticsearch.instanceType,
                volumeGiB: spec.elasticsearch.volumeGiB,
                snapshotReaderArns: spec.elasticsearch.snapshotReaderArns,
                clients: [...apiTiers.map((t) => t.name), ...release.workers.map((w) => w.name)],
                dependsOn: this.eks.addons,
                tags,
            }, parent);
            searchBuilt(search.ready);
        } else {
            new ExternalSearch(`${name}-search`, {
                provider: this.eks.provider,
                namespace: this.workloads.namespace,
                password: args.givenSecrets.elasticsearchPassword!,
                ca: args.givenSecrets.elasticsearchCa,
            }, parent);
        }

        this.edge = new Edge(`${name}-edge`, {
            vpcId,
            publicSubnetIds: subnetIds.public,
            tiers: this.tiers.map((tier) => ({
                name: tier.name,
                host: tier.host,
                serving: eksTierServing(tier.name),
                autoScalingGroupName: this.nodeGroups[tier.name]!.autoScalingGroupName,
                serverSecurityGroupId: this.nodeGroups[tier.name]!.securityGroupId,
                exposure: tier.exposure,
            })),
            perCluster: spec.loadBalancers.perCluster,
            trustedCidrs: spec.trustedCidrs,
            zone: spec.dns.zone,
            certificateArn: spec.dns.certificateArn,
            internal: spec.loadBalancers.internal,
            wafRateLimit: spec.loadBalancers.wafRateLimit,
            wafLogRetentionDays: spec.loadBalancers.wafLogRetentionDays,
            guiIdleTimeoutSeconds: spec.elasticsearch.queryTimeoutSeconds + 30,
            optionalCollectorPaths: { widget: spec.loadBalancers.widgetPaths, consent: spec.loadBalancers.consentPaths },
            deletionProtection: spec.deletionProtection,
            tags,
        }, parent);

        this.registerOutputs({ vpcId, clusterName: this.eks.clusterName, urls: this.edge.urls });
    }
}
