import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isIpv6Cidr } from "../lib/cidr";
import { eksTierServing, TIER_LABEL } from "../lib/manifests";
import { StackNames, stackNames } from "../lib/naming";
import { RELEASES, TracardiRelease } from "../lib/releases";
import { searchConnection } from "../lib/search";
import { baseTags } from "../lib/tags";
import { planTiers, TierName, TierPlan, TierServing } from "../lib/tiers";
import type { DataEndpoints, TracardiSettings } from "../lib/tracardiEnv";
import type { StackSpec } from "../stacks/schema";
import type { SecretName } from "../stacks/secrets";
import { Edge } from "./edge";
import { serverSecurityGroup } from "./serverSecurityGroup";
import { DatabaseVersion } from "./databaseVersion";
import { VmCompute, vmTierServing } from "./vmCompute";
import { Ec2SearchCluster } from "./ec2Search";
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

/** What compute gives the edge per tier, whichever runs the servers. */
interface TierServers {
    serving: TierServing;
    autoScalingGroupName: pulumi.Output<string>;
}

/** What both computes build on: made before compute is chosen. */
interface Shared {
    name: string;
    spec: StackSpec;
    names: StackNames;
    release: TracardiRelease;
    tags: Record<string, string>;
    data: pulumi.Output<DataEndpoints>;
    settings: TracardiSettings;
    serverGroups: Record<TierName, aws.ec2.SecurityGroup>;
    database: DatabaseVersion;
}

/** One customer's Tracardi: the root every other resource of the stack hangs from. */
export class TracardiDeployment extends pulumi.ComponentResource {
    readonly network: Network;
    readonly tiers: TierPlan[];
    readonly secrets: StackSecrets;
    readonly edge: Edge;
    /** EKS compute only. */
    readonly eks?: EksCluster;
    readonly nodeGroups: Partial<Record<TierName, NodeGroup>> = {};
    readonly workloads?: TracardiWorkloads;
    /** VM compute only. */
    readonly vm?: VmCompute;
    /** Search on EC2 servers of its own (`elasticsearch.provider: ec2`) only. */
    readonly searchServers?: Ec2SearchCluster;

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

        // Each tier's servers have a security group made here, outside compute: the data stores and
        // the edge admit the tier by it, whatever runs the servers. It used to be the node group's
        // own child: the alias keeps the group (and every rule naming it) in place.
        const serverGroups = Object.fromEntries(this.tiers.map((tier) => [tier.name, serverSecurityGroup(`${name}-${tier.name}`, { vpcId, tags }, { parent: this, aliases: [{ parent: pulumi.createUrn(`${name}-${tier.name}`, "tracardi:eks:NodeGroup", this) }] })])) as
            Record<TierName, aws.ec2.SecurityGroup>;
        const apiSecurityGroups = this.tiers.filter((t) => t.kind === "api").map((t) => serverGroups[t.name].id);

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

        // Search on servers of its own (VM stacks) is made first: the API is told its endpoint.
        this.searchServers = spec.elasticsearch.provider === "ec2" ? new Ec2SearchCluster(`${name}-search`, {
            vpcId,
            subnetIds: subnetIds.data,
            zones: this.network.zones,
            s3EndpointId: this.network.s3EndpointId,
            version: spec.elasticsearch.version,
            nodes: spec.elasticsearch.nodes,
            instanceType: spec.elasticsearch.instanceType,
            volumeGiB: spec.elasticsearch.volumeGiB,
            clientSecurityGroupIds: apiSecurityGroups,
            snapshotReaderArns: spec.elasticsearch.snapshotReaderArns,
            deletionProtection: spec.deletionProtection,
            tags,
        }, parent) : undefined;
        const search = pulumi.output(this.searchServers?.endpoint).apply((endpoint) =>
            searchConnection(spec.elasticsearch, args.givenSecrets.elasticsearchCa !== undefined, endpoint));
        const data: pulumi.Output<DataEndpoints> = pulumi.all([redis.host, mysql?.host, search]).apply(([redisHost, mysqlHost, searchEndpoint]) => ({
            search: searchEndpoint,
            redis: { host: redisHost, port: redis.port },
            mysql: mysql && mysqlHost ? { host: mysqlHost, port: mysql.port, username: mysql.username, database: mysql.database } : undefined,
        }));
        const shared: Shared = {
            name, spec, names, release, tags, data, serverGroups, database,
            settings: { queryTimeoutSeconds: spec.elasticsearch.queryTimeoutSeconds, destinations: spec.destinations },
        };

        // The one place compute is chosen. Both give the edge the same contract per tier.
        let servers: Partial<Record<TierName, TierServers>>;
        if (spec.compute === "eks") {
            const eks = this.eksCompute(shared, args);
            [this.eks, this.nodeGroups, this.workloads, servers] = [eks.cluster, eks.nodeGroups, eks.workloads, eks.servers];
        } else {
            this.vm = new VmCompute(`${name}-vm`, {
                tiers: this.tiers,
                release,
                data,
                settings: shared.settings,
                secrets: this.secrets.values,
                search: this.searchServers
                    ? { password: this.searchServers.tracardiPassword, ca: this.searchServers.ca }
                    : { password: args.givenSecrets.elasticsearchPassword!, ca: args.givenSecrets.elasticsearchCa },
                adminEmail: spec.adminEmail,
                subnetIds: subnetIds.app,
                securityGroupIds: Object.fromEntries(this.tiers.map((t) => [t.name, serverGroups[t.name].id])),
                tags,
            // From 0.9 the API exits at start-up unless search answers as Tracardi's user.
            }, { parent: this, dependsOn: [database, ...(this.searchServers?.ready ?? [])] });
            const vm = this.vm;
            servers = Object.fromEntries(this.tiers.map((tier) => [tier.name, {
                serving: vmTierServing(tier), autoScalingGroupName: vm.tiers[tier.name]!.autoScalingGroupName,
            }]));
        }

        this.edge = new Edge(`${name}-edge`, {
            vpcId,
            publicSubnetIds: subnetIds.public,
            tiers: this.tiers.map((tier) => ({
                name: tier.name,
                host: tier.host,
                ...servers[tier.name]!,
                serverSecurityGroupId: serverGroups[tier.name].id,
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

        this.registerOutputs({ vpcId, clusterName: this.eks?.clusterName, urls: this.edge.urls });
    }

    /** Tracardi on EKS: the cluster, a node group per tier, the workloads and search (ECK or external). */
    private eksCompute(shared: Shared, args: TracardiDeploymentArgs): {
        cluster: EksCluster; nodeGroups: Partial<Record<TierName, NodeGroup>>; workloads: TracardiWorkloads; servers: Partial<Record<TierName, TierServers>>;
    } {
        const { name, spec, names, release, tags, data, serverGroups, database } = shared;
        const parent = { parent: this };
        const { vpcId, subnetIds } = this.network;

        const cluster = new EksCluster(`${name}-eks`, {
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

        const nodeGroups: Partial<Record<TierName, NodeGroup>> = {};
        for (const tier of this.tiers) {
            nodeGroups[tier.name] = new NodeGroup(`${name}-${tier.name}`, {
                securityGroupId: serverGroups[tier.name].id,
                clusterName: cluster.clusterName,
                version: cluster.version,
                nodeRoleArn: cluster.nodeRoleArn,
                vpcId,
                subnetIds: subnetIds.app,
                instanceType: tier.instanceType,
                // One server per instance: every API instance on a server of its own.
                size: tier.instances,
                labels: { [TIER_LABEL]: tier.name },
                taint: { key: TIER_LABEL, value: tier.name },
                clusterSecurityGroupId: cluster.clusterSecurityGroupId,
                tags,
            }, parent);
        }
        const apiTiers = this.tiers.filter((t) => t.kind === "api");

        // Search is built after the workloads (it lives in their namespace), yet the API needs it
        // at start-up: the API's Deployments wait on a promise of the cluster, kept below.
        let searchBuilt: (ready: pulumi.Resource) => void = () => undefined;
        const searchReady = spec.elasticsearch.provider === "eck" ? new Promise<pulumi.Resource>((resolve) => (searchBuilt = resolve)) : undefined;
        const workloads = new TracardiWorkloads(`${name}-app`, {
            provider: cluster.provider,
            namespace: names.namespace,
            release,
            tiers: this.tiers,
            data,
            secrets: this.secrets.values,
            adminEmail: spec.adminEmail,
            settings: shared.settings,
            loadBalancerCidrs: this.network.publicCidrs,
            dependsOn: [...Object.values(nodeGroups), ...cluster.addons, database],
            searchReady,
        }, parent);

        // Search lives in the workloads' namespace, whose pods mount its CA and password Secrets,
        // so it follows the namespace; the API's pods follow the cluster once it is green.
        if (spec.elasticsearch.provider === "eck") {
            const search = new EckSearchCluster(`${name}-search`, {
                provider: cluster.provider,
                namespace: workloads.namespace,
                clusterName: cluster.clusterName,
                kubernetesVersion: cluster.version,
                nodeRoleArn: cluster.nodeRoleArn,
                clusterSecurityGroupId: cluster.clusterSecurityGroupId,
                vpcId,
                subnetIds: subnetIds.data,
                s3EndpointId: this.network.s3EndpointId,
                version: spec.elasticsearch.version,
                nodes: spec.elasticsearch.nodes,
                instanceType: spec.elasticsearch.instanceType,
                volumeGiB: spec.elasticsearch.volumeGiB,
                snapshotReaderArns: spec.elasticsearch.snapshotReaderArns,
                clients: [...apiTiers.map((t) => t.name), ...release.workers.map((w) => w.name)],
                dependsOn: cluster.addons,
                tags,
            }, parent);
            searchBuilt(search.ready);
        } else {
            new ExternalSearch(`${name}-search`, {
                provider: cluster.provider,
                namespace: workloads.namespace,
                password: args.givenSecrets.elasticsearchPassword!,
                ca: args.givenSecrets.elasticsearchCa,
            }, parent);
        }

        const servers = Object.fromEntries(this.tiers.map((tier) => [tier.name, {
            serving: eksTierServing(tier.name), autoScalingGroupName: nodeGroups[tier.name]!.autoScalingGroupName,
        }]));
        return { cluster, nodeGroups, workloads, servers };
    }
}
