import { encodeUserData } from "../../components/vmTier";
import { mocks, RecordedResource } from "../../offline/mocks";
import { decodeUserData } from "../../offline/userData";
import type { EnvVar } from "../../lib/tracardiEnv";
import { renderServerUserData, VmContainer } from "../../lib/vmUserData";
import { AWS, K8S } from "../../policy/lib/types";

/**
 * Crafted stacks for the policy tests: complete, compliant resource lists of a production and a
 * minimal-profile stack, on EKS or on servers without Kubernetes (compute vm), in the shape the
 * mocks record, that each test breaks in one place. They include what the program does not create
 * yet, so every policy has something to judge. The servers' user data is the program's own
 * rendering (lib/vmUserData.ts, components/vmTier.ts encodeUserData).
 */

const TRUSTED = ["203.0.113.0/24", "2001:db8:1000::/48"];
const TRUSTED_V4 = TRUSTED.filter((c) => !c.includes(":"));
const TRUSTED_V6 = TRUSTED.filter((c) => c.includes(":"));

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::tracardi::${type}::${name}`;
}

export function idOf(resource: Pick<RecordedResource, "id">): string {
    return resource.id;
}

export function resource(type: string, name: string, inputs: Record<string, unknown>,
    options: { protect?: boolean; dependsOn?: RecordedResource[] } = {}): RecordedResource {
    // The id the mocks would give it, so crafted references look like the recorded ones.
    const { id } = mocks.newResource({ type, name, inputs, custom: true, provider: "" }) as { id: string };
    return {
        urn: urnOf(type, name), id, type, name, custom: true, provider: "", protect: options.protect ?? false, retainOnDelete: false,
        dependsOn: (options.dependsOn ?? []).map((d) => d.urn), ignoreChanges: [], propertyDependencies: {}, replaceOnChanges: [], deleteBeforeReplace: false, aliases: [], inputs, secretInputs: [],
    };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into crafted inputs freely
type Inputs = Record<string, any>;

/** A deep copy of the stack with one resource's inputs changed. */
export function changed(stack: RecordedResource[], name: string, change: (inputs: Inputs, r: RecordedResource) => void): RecordedResource[] {
    const copy = structuredClone(stack);
    const target = copy.find((r) => r.name === name);
    if (!target) {
        throw new Error(`no resource ${name} in the crafted stack`);
    }
    change(target.inputs, target);
    return copy;
}

export function without(stack: RecordedResource[], drop: (r: RecordedResource) => boolean): RecordedResource[] {
    return stack.filter((r) => !drop(r));
}

const COLLECTOR_RULE_PATHS = ["/track", "/tracker/*", "/collect/*", "/redirect/*"];
const API_CLIENTS = ["public-api", "internal-api", "api", "update-worker", "apm"];

interface Tier { name: string; instances: number; expose?: "yes" | "no" }

function apiEnv(expose: string): Record<string, unknown>[] {
    return [
        { name: "EXPOSE_GUI_API", value: expose },
        { name: "TRACK_DEBUG", value: "no" },
        { name: "ELASTIC_HTTP_AUTH_USERNAME", value: "tracardi" },
        { name: "INSTALLATION_TOKEN", valueFrom: { secretKeyRef: { name: "tracardi-secrets", key: "installationToken" } } },
    ];
}

/** The same environment as it reaches a server: plain values in an env file, secrets fetched at start. */
function vmApiEnv(expose: string): EnvVar[] {
    return [
        { name: "EXPOSE_GUI_API", value: expose },
        { name: "TRACK_DEBUG", value: "no" },
        { name: "ELASTIC_CLOUD_ID", value: "tracardi:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbzo0NDMkYWJjJGRlZg==" },
        { name: "ELASTIC_HOST", value: "abc.eu-west-1.aws.found.io:443" },
        { name: "ELASTIC_HTTP_AUTH_USERNAME", value: "tracardi" },
        { name: "ELASTIC_HTTP_AUTH_PASSWORD", secret: { name: "tracardi-elasticsearch", key: "password" } },
        { name: "INSTALLATION_TOKEN", secret: { name: "tracardi-secrets", key: "INSTALLATION_TOKEN" } },
    ];
}

/**
 * A tier's user data as a launch template carries it. The workers' server (components/vmCompute.ts:
 * a group of one, tagged tracardi:tier=workers) runs the GUI-facing API for the install, a worker
 * and the install.
 */
function vmUserData(tier: Tier, workers = false): string {
    const containers: VmContainer[] = tier.expose === undefined
        ? [{ name: tier.name, image: "tracardi/tracardi-gui:1.0.0", env: [], hostPort: 80 }]
        : [{ name: tier.name, image: "tracardi/tracardi-api:1.0.0", env: vmApiEnv(tier.expose), hostPort: 80 }];
    if (workers) {
        containers.push({
            name: "update-worker", image: "tracardi/update-worker:1.0.0", memoryMiB: 500,
            env: vmApiEnv("no").filter((e) => e.name !== "EXPOSE_GUI_API"),
        });
    }
    return encodeUserData(renderServerUserData({
        region: "eu-west-1", secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tracardi-AbCdEf", logGroup: "/tracardi/servers",
        containers,
        oneShots: workers ? [{
            name: "install", script: "print('install')\n", after: `tracardi-${tier.name}.service`,
            env: [{ name: "TRACARDI_API_URL", value: "http://127.0.0.1:80" }],
            secretFiles: { INSTALLATION_TOKEN: { name: "tracardi-secrets", key: "INSTALLATION_TOKEN" } },
        }] : [],
    }));
}

/** A deep copy of the stack with one launch template's user data script edited (and encoded again as the program does). */
export function changedUserData(stack: RecordedResource[], name: string, edit: (script: string) => string): RecordedResource[] {
    return changed(stack, name, (inputs) => {
        const script = decodeUserData(inputs.userData);
        const edited = edit(script);
        if (edited === script) {
            throw new Error(`the edit left the user data of ${name} as it was`);
        }
        inputs.userData = encodeUserData(edited);
    });
}

function deployment(tier: Tier): Record<string, unknown> {
    const labels = { "app.kubernetes.io/part-of": "tracardi", "app.kubernetes.io/component": tier.name };
    const api = tier.expose !== undefined;
    return {
        metadata: { name: tier.name, namespace: "tracardi", labels },
        spec: {
            replicas: tier.instances,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    nodeSelector: { "tracardi.io/tier": tier.name },
                    ...(api ? {
                        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" }] } },
                    } : {}),
                    containers: [api
                        ? { name: "api", image: "tracardi/tracardi-api:1.0.0", env: apiEnv(tier.expose!) }
                        : { name: "gui", image: "tracardi/tracardi-gui:1.0.0" }],
                },
            },
        },
    };
}

/** Load balancers, their security group, target groups, listeners and rules for one cluster. */
function cluster(name: string, count: number, exposure: "collector" | "trusted" | "collector-and-trusted", waf?: RecordedResource): RecordedResource[] {
    const tags = { "tracardi:tier": name };
    const open = exposure !== "trusted";
    const ingress = [80, 443].map((port) => ({
        protocol: "tcp", fromPort: port, toPort: port,
        cidrBlocks: open ? ["0.0.0.0/0"] : TRUSTED_V4, ipv6CidrBlocks: open ? ["::/0"] : TRUSTED_V6,
        description: `${port === 443 ? "HTTPS" : "HTTP"} from ${open ? "the Internet" : "the trusted networks"} to the ${name} load balancers`,
    }));
    const sg = resource(AWS.securityGroup, `${name}-lb-sg`, { description: `${name} load balancers`, ingress, tags });
    const out: RecordedResource[] = [sg];
    for (let i = 0; i < count; i++) {
        const lb = resource(AWS.loadBalancer, `${name}-lb-${i}`, {
            loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true,
            accessLogs: { bucket: "access-logs", enabled: true }, securityGroups: [idOf(sg)], tags,
        }, { dependsOn: [sg] });
        const tg = resource(AWS.targetGroup, `${name}-tg-${i}`, { port: 30080, protocol: "HTTP", targetType: "instance", tags });
        const https = resource(AWS.listener, `${name}-https-${i}`, {
            loadBalancerArn: "arn", protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain" } }], tags,
        }, { dependsOn: [lb] });
        const http = resource(AWS.listener, `${name}-http-${i}`, {
            loadBalancerArn: "arn", protocol: "HTTP", port: 80,
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }], tags,
        }, { dependsOn: [lb] });
        out.push(lb, tg, https, http);
        if (open && waf) {
            out.push(resource(AWS.webAclAssociation, `${name}-waf-${i}`, { resourceArn: "arn", webAclArn: "arn" }, { dependsOn: [lb, waf] }));
        }
        const forward = [{ type: "forward", targetGroupArn: "arn" }];
        if (exposure !== "trusted") {
            out.push(resource(AWS.listenerRule, `${name}-public-${i}`, {
                listenerArn: "arn", priority: 10, actions: forward, conditions: [{ pathPattern: { values: COLLECTOR_RULE_PATHS } }], tags,
            }, { dependsOn: [https, tg] }));
        }
        if (exposure !== "collector") {
            out.push(resource(AWS.listenerRule, `${name}-trusted-${i}`, {
                listenerArn: "arn", priority: 100, actions: forward, conditions: [{ sourceIp: { values: TRUSTED } }], tags,
            }, { dependsOn: [https, tg] }));
        }
    }
    return out;
}

/** A data store's security group admitting each API tier's node security group on one port. */
function dataGroup(name: string, port: number, apiNodeGroups: RecordedResource[]): RecordedResource[] {
    const sg = resource(AWS.securityGroup, `${name}-sg`, { description: name });
    return [sg, ...apiNodeGroups.map((nodes) => resource(AWS.ingressRule, `${name}-from-${nodes.name}`, {
        securityGroupId: idOf(sg), referencedSecurityGroupId: idOf(nodes), ipProtocol: "tcp", fromPort: port, toPort: port,
        description: `${name} from the ${nodes.name} servers`,
    }, { dependsOn: [sg, nodes] }))];
}

export function compliantStack(profile: "production" | "minimal", compute: "eks" | "vm" = "eks"): RecordedResource[] {
    const production = profile === "production";
    const vm = compute === "vm";
    const zones = production ? ["a", "b", "c"] : ["a", "b"];
    const stack: RecordedResource[] = [];
    const add = (...rs: RecordedResource[]) => {
        stack.push(...rs);
        return rs[0];
    };

    const vpc = add(resource(AWS.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }));
    add(resource(AWS.flowLog, "flow-log", { vpcId: idOf(vpc), trafficType: "ALL" }, { dependsOn: [vpc] }));
    const subnets: Record<string, RecordedResource[]> = { public: [], app: [], data: [] };
    Object.keys(subnets).forEach((tier, t) => zones.forEach((zone, z) => subnets[tier].push(add(resource(AWS.subnet, `${tier}-${z}`, {
        vpcId: idOf(vpc), cidrBlock: `10.0.${t * 16 + z}.0/24`, availabilityZone: `eu-west-1${zone}`, mapPublicIpOnLaunch: false,
        tags: { "tracardi:subnet-tier": tier },
    }, { dependsOn: [vpc] })))));
    (production ? zones : ["a"]).forEach((_, i) => add(resource(AWS.natGateway, `nat-${i}`, { subnetId: idOf(subnets.public[i]) })));
    if (!vm) {
        add(resource(AWS.eksCluster, "eks", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: TRUSTED_V4 } }));
        add(resource(AWS.eksAddon, "vpc-cni", { addonName: "vpc-cni", configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }) }));
    }

    const tiers: Tier[] = production
        ? [{ name: "public-api", instances: 3, expose: "no" }, { name: "internal-api", instances: 2, expose: "yes" }, { name: "gui", instances: 2 }]
        : [{ name: "api", instances: 2, expose: "yes" }, { name: "gui", instances: 1 }];
    const apiNodeGroups: RecordedResource[] = [];
    const guiFacing = production ? "internal-api" : "api";
    for (const tier of tiers) {
        if (vm) {
            // As components/vmTier.ts makes them: the group tagged with its tier, on a template whose user data runs the tier's container.
            const nodes = add(resource(AWS.securityGroup, `${tier.name}-nodes`, {
                description: `${tier.name} servers`, tags: { Name: `tracardi-${tier.name}-nodes` },
            }));
            const serverGroup = (name: string, size: number, userData: string) => {
                const lt = add(resource(AWS.launchTemplate, `${name}-lt`, {
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 30, volumeType: "gp3" } }],
                    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [idOf(nodes)] }],
                    userData, tags: { "tracardi:tier": name },
                }, { dependsOn: [nodes] }));
                add(resource(AWS.autoScalingGroup, `${name}-asg`, {
                    minSize: size, desiredCapacity: size, maxSize: size + 1,
                    launchTemplate: { id: idOf(lt), version: "1" }, vpcZoneIdentifiers: subnets.app.map(idOf),
                    tags: [{ key: "tracardi:tier", value: name, propagateAtLaunch: true }, { key: "Name", value: `tracardi-${name}`, propagateAtLaunch: true }],
                }, { dependsOn: [lt, ...subnets.app] }));
            };
            serverGroup(tier.name, tier.instances, vmUserData(tier));
            if (tier.name === guiFacing) {
                // The workers' server, on the GUI-facing tier's security group.
                serverGroup("workers", 1, vmUserData(tier, true));
            }
            if (tier.expose !== undefined) {
                apiNodeGroups.push(nodes);
            }
            continue;
        }
        const nodes = add(resource(AWS.securityGroup, `${tier.name}-nodes`, { description: `${tier.name} servers` }));
        const lt = add(resource(AWS.launchTemplate, `${tier.name}-lt`, {
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 40, volumeType: "gp3" } }],
            vpcSecurityGroupIds: [idOf(nodes)],
        }, { dependsOn: [nodes] }));
        add(resource(AWS.nodeGroup, `${tier.name}-ng`, {
            labels: { "tracardi.io/tier": tier.name }, launchTemplate: { id: idOf(lt), version: "1" },
            scalingConfig: { desiredSize: tier.instances, minSize: tier.instances, maxSize: tier.instances + 1 },
            subnetIds: subnets.app.map(idOf),
        }, { dependsOn: [lt, ...subnets.app] }));
        add(resource(K8S.deployment, tier.name, deployment(tier)));
        if (tier.expose !== undefined) {
            apiNodeGroups.push(nodes);
        }
    }
    if (!vm) {
        add(resource(K8S.secret, "tracardi-secrets", { stringData: { installationToken: "9f2c7d1e5b8a4c3f" } }));
    }

    const perCluster = production ? 2 : 1;
    const waf = add(resource(AWS.webAcl, "waf", { scope: "REGIONAL", defaultAction: { allow: {} } }));
    const wafLogs = add(resource(AWS.logGroup, "waf-logs", { namePrefix: "aws-waf-logs-edge-", retentionInDays: 90 }));
    add(resource(AWS.webAclLogging, "waf-logging", {
        resourceArn: "arn", logDestinationConfigs: ["arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-edge-1"],
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    }, { dependsOn: [waf, wafLogs] }));
    if (production) {
        add(...cluster("public-api", perCluster, "collector", waf), ...cluster("internal-api", perCluster, "trusted"));
    } else {
        add(...cluster("api", perCluster, "collector-and-trusted", waf));
    }
    add(...cluster("gui", perCluster, "trusted"));

    for (const [name, port] of [["mysql", 3306], ["redis", 6379]] as const) {
        const [sg, ...rules] = dataGroup(name, port, apiNodeGroups);
        add(sg, ...rules);
        const subnetGroup = add(resource(name === "mysql" ? AWS.rdsSubnetGroup : AWS.cacheSubnetGroup, `${name}-subnets`, {
            name: `${name}-subnets`, subnetIds: subnets.data.map(idOf),
        }, { dependsOn: subnets.data }));
        add(name === "mysql"
            ? resource(AWS.rdsInstance, "mysql", {
                engine: "mysql", storageEncrypted: true, deletionProtection: true, publiclyAccessible: false, skipFinalSnapshot: false,
                finalSnapshotIdentifier: "mysql-final", dbSubnetGroupName: "mysql-subnets", vpcSecurityGroupIds: [idOf(sg)],
            }, { protect: true, dependsOn: [sg, subnetGroup] })
            : resource(AWS.replicationGroup, "redis", {
                engine: "redis", atRestEncryptionEnabled: true, transitEncryptionEnabled: false, subnetGroupName: "redis-subnets",
                securityGroupIds: [idOf(sg)],
            }, { protect: true, dependsOn: [sg, subnetGroup] }));
    }

    if (!vm) {
        addSearch(add, production);
    }
    const bucket = add(resource(AWS.bucket, "search-snapshots", { forceDestroy: false }, { protect: true }));
    add(resource(AWS.bucketEncryption, "search-snapshots-sse", {
        bucket: idOf(bucket), rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    }, { dependsOn: [bucket] }));
    return stack;
}

/** Elasticsearch on EKS (ECK), on encrypted retained volumes, behind a NetworkPolicy. A VM stack uses Elastic Cloud instead. */
function addSearch(add: (...rs: RecordedResource[]) => RecordedResource, production: boolean): void {
    add(resource(K8S.storageClass, "search-storage", {
        provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, reclaimPolicy: "Retain",
    }));
    const nodes = production ? 3 : 1;
    add(resource(K8S.elasticsearch, "search", {
        apiVersion: "elasticsearch.k8s.elastic.co/v1", kind: "Elasticsearch",
        metadata: { name: "tracardi", namespace: "tracardi" },
        spec: { version: "8.11.3", nodeSets: [{ name: "default", count: nodes, zoneAwareness: {} }] },
    }, { protect: true }));
    add(resource(K8S.networkPolicy, "search-clients", {
        metadata: { name: "search-clients", namespace: "tracardi" },
        spec: {
            podSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi" } },
            policyTypes: ["Ingress"],
            ingress: [{
                from: [
                    { podSelector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: API_CLIENTS }] } },
                    { podSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi" } } },
                    { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "elastic-system" } } },
                ],
            }],
        },
    }));
}
