import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { envOf, podLabelsOf, podSpecOf, selects, TIER_LABEL } from "../lib/kubernetes";
import { at, clusterOf, describe, ofTypes, Plain, record, records, settings, text } from "../lib/props";
import {
    API_TIERS, apiContainersOf, CLUSTERS, deploymentsOf, instancesOf, Profile, profileOf, replicasOf, runnersOf, runsTier, thresholdOf, thresholds,
    TIER_KEYS, TIER_TAG, TierRunner, tierOfNodeGroup, zonesOf, zonesOfGroup,
} from "../lib/tiers";
import { SEARCH_TIER, SearchServers, searchServersOf, searchSetting } from "../lib/search";
import { AWS, K8S } from "../lib/types";

/**
 * The seed's production topology (stack policies): which clusters exist, how many instances
 * each runs, and how they are spread. Thresholds live in each policy's config; `small*` ones
 * apply to minimal-profile stacks (see lib/tiers.ts for how the profile is recognised).
 */

const key = (tier: string, field: string) => `tracardi:${TIER_KEYS[tier]}.${field}`;

/** The tier's runners (Deployments on EKS, Auto Scaling groups' launch templates on servers) whose containers the pack can read. */
function readableRunners(resources: PolicyResource[], tier: string): (TierRunner & { containers: Plain[] })[] {
    return runnersOf(resources, tier).filter((r): r is TierRunner & { containers: Plain[] } => r.containers !== undefined);
}

/** Where a runner's plain environment is set, for a fix in a message. */
function plainEnvOf(runner: TierRunner, container: Plain): string {
    return runner.compute === "eks" ? "as a plain value in its env"
        : `as a plain value in its env file (/etc/tracardi/${text(container.name)}.env in the launch template's user data)`;
}

/** Reports every API container of the tier whose EXPOSE_GUI_API is not `want`. */
function checkExposeGuiApi(resources: PolicyResource[], tier: string, want: "yes" | "no", why: string,
    report: (message: string, urn?: string) => void): void {
    for (const runner of readableRunners(resources, tier)) {
        const containers = apiContainersOf(runner);
        if (containers.length === 0) {
            report(`${runner.label} (${tier}) runs no tracardi/tracardi-api container: the ${tier} cluster is a Tracardi API cluster`, runner.resource.urn);
        }
        for (const container of containers) {
            const setting = envOf(container, "EXPOSE_GUI_API");
            const value = setting.kind === "value" ? setting.value.trim().toLowerCase() : undefined;
            if (value !== want) {
                const given = setting.kind === "absent" ? "leaves EXPOSE_GUI_API unset (Tracardi then defaults to yes)"
                    : setting.kind === "value" ? `sets EXPOSE_GUI_API=${setting.value}` : "takes EXPOSE_GUI_API from a reference the pack cannot read";
                report(`${runner.label} (${tier}) container ${text(container.name)} ${given}: set EXPOSE_GUI_API=${want} ` +
                    `${plainEnvOf(runner, container)}, ${why}`, runner.resource.urn);
            }
        }
    }
}

function missing(tier: string, what: string): string {
    return `the stack has no ${tier} Deployment (label app.kubernetes.io/component=${tier}) ` +
        `nor Auto Scaling group (tag ${TIER_TAG}=${tier}): ${what}`;
}

export const publicApiCluster: StackValidationPolicy = {
    name: "tracardi-public-api-cluster",
    description: "Production: the Internet-facing collector runs as its own API cluster of at least 3 instances with EXPOSE_GUI_API=no.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minPublicApiInstances: { type: "integer", minimum: 1, default: 3, description: "Instances of the public collector cluster." },
        },
    },
    validateStack: (args, report) => {
        const { minPublicApiInstances: min } = settings<{ minPublicApiInstances: number }>(publicApiCluster.configSchema!, args);
        if (profileOf(args.resources) === "minimal") {
            args.notApplicable("a minimal-profile stack serves the collector from its single api cluster");
        }
        if (!runsTier(args.resources, "public-api")) {
            report(missing("public-api", `production serves the collector from a cluster of its own with at least ${min} instances`));
            return;
        }
        const instances = instancesOf(args.resources, "public-api");
        if (instances < min) {
            report(`the public-api cluster runs ${instances} instance(s); production needs at least ${min}: ` +
                `set ${key("public-api", "instances")} to ${min} or more`);
        }
        checkExposeGuiApi(args.resources, "public-api", "no",
            "so the Internet-facing cluster refuses logins and every GUI endpoint", report);
    },
};

export const guiApiCluster: StackValidationPolicy = {
    name: "tracardi-gui-api-cluster",
    description: "The GUI talks to an API cluster that runs with EXPOSE_GUI_API=yes: internal-api in production, api in a minimal stack.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const tier = profileOf(args.resources) === "minimal" ? "api" : "internal-api";
        if (!runsTier(args.resources, tier)) {
            report(missing(tier, "the GUI needs an API cluster with EXPOSE_GUI_API=yes (set tracardi:internalApi in a production stack)"));
            return;
        }
        checkExposeGuiApi(args.resources, tier, "yes", "or the GUI cannot log in", report);
    },
};

export const apiInstances: StackValidationPolicy = {
    name: "tracardi-api-instances",
    description: "Enough API instances in all: at least 5 in production, 2 in a minimal stack.",
    enforcementLevel: "mandatory",
    configSchema: { properties: thresholds("minApiInstancesTotal", 5, 2, "API instances over all API clusters", "API instances") },
    validateStack: (args, report) => {
        const config = settings<Record<string, number>>(apiInstances.configSchema!, args);
        const profile = profileOf(args.resources);
        const min = thresholdOf(config, "minApiInstancesTotal", profile);
        const counts = API_TIERS.map((t) => [t, instancesOf(args.resources, t)] as const).filter(([, n]) => n > 0);
        const total = counts.reduce((sum, [, n]) => sum + n, 0);
        if (total < min) {
            const fix = profile === "minimal"
                ? `set tracardi:publicApi.instances to ${min} or more`
                : `raise tracardi:publicApi.instances and tracardi:internalApi.instances so they add up to ${min} or more`;
            const detail = counts.length ? ` (${counts.map(([t, n]) => `${t} ${n}`).join(", ")})` : "";
            report(`the API clusters run ${total} instance(s) in all${detail}; a ${profile} stack needs at least ${min}: ${fix}`);
        }
    },
};

export const guiInstances: StackValidationPolicy = {
    name: "tracardi-gui-instances",
    description: "The GUI cluster runs at least 2 instances in production, 1 in a minimal stack.",
    enforcementLevel: "mandatory",
    configSchema: { properties: thresholds("minGuiInstances", 2, 1, "GUI instances") },
    validateStack: (args, report) => {
        const config = settings<Record<string, number>>(guiInstances.configSchema!, args);
        const profile = profileOf(args.resources);
        const min = thresholdOf(config, "minGuiInstances", profile);
        if (!runsTier(args.resources, "gui")) {
            report(missing("gui", `the stack must run the Tracardi GUI with at least ${min} instance(s)`));
            return;
        }
        const instances = instancesOf(args.resources, "gui");
        if (instances < min) {
            report(`the gui cluster runs ${instances} instance(s); a ${profile} stack needs at least ${min}: set tracardi:gui.instances to ${min} or more`);
        }
    },
};

const ZONE_KEY = "topology.kubernetes.io/zone";

/** ECK's zoneAwareness (3.4+), or the manual form: a zone spread constraint plus allocation awareness. */
function zoneAware(nodeSet: Record<string, unknown>): boolean {
    if (nodeSet.zoneAwareness !== undefined) {
        return true;
    }
    const spread = records(at(nodeSet, "podTemplate.spec.topologySpreadConstraints")).some((c) => c.topologyKey === ZONE_KEY);
    const awareness = String(record(nodeSet.config)["cluster.routing.allocation.awareness.attributes"] ?? "");
    return spread && /zone/.test(awareness);
}

/**
 * Search the stack does not run (tracardi:elasticsearch.provider external): all the pack can see
 * is what the API is told. A managed Elastic Cloud deployment spans zones by itself; listed hosts
 * must be as many as the nodes the profile needs.
 */
function checkExternalSearch(resources: PolicyResource[], profile: Profile, minNodes: number,
    report: (message: string) => void): void {
    const runners = API_TIERS.flatMap((t) => runnersOf(resources, t));
    const containers = runners.flatMap(apiContainersOf);
    if (containers.length === 0 && runners.some((r) => r.containers === undefined)) {
        return; // servers' user data still unknown (a preview of a new stack): nothing to judge yet
    }
    const value = (container: Record<string, unknown>, name: string) => {
        const setting = envOf(container, name);
        return setting.kind === "value" ? setting.value : undefined;
    };
    if (containers.length > 0 && containers.every((c) => value(c, "ELASTIC_CLOUD_ID"))) {
        return;
    }
    const hosts = containers.map((c) => (value(c, "ELASTIC_HOST") ?? "").split(",").filter((h) => h.trim()).length);
    if (hosts.length === 0 || Math.min(...hosts) === 0) {
        report(`the stack runs no Elasticsearch resource (ECK, ${K8S.elasticsearch}) and its API names no external search ` +
            `(ELASTIC_HOST or ELASTIC_CLOUD_ID): set tracardi:elasticsearch.provider to eck (EKS) or ec2 (servers) with at least ${minNodes} node(s)`);
    } else if (Math.min(...hosts) < minNodes) {
        report(`the API reaches ${Math.min(...hosts)} external search host(s); a ${profile} stack needs at least ${minNodes}: ` +
            `list ${minNodes} or more in tracardi:elasticsearch.hosts`);
    }
}

/**
 * Search on servers of the stack: as many nodes as ECK would need, each group of servers in one
 * zone and the groups over as many zones as the nodes need, every node zone-aware.
 */
function checkServerSearch(resources: PolicyResource[], servers: SearchServers[], profile: Profile, minNodes: number, minZones: number,
    report: (message: string, urn?: string) => void): void {
    const nodes = instancesOf(resources, SEARCH_TIER);
    if (nodes < minNodes) {
        report(`the stack runs ${nodes} search server(s); a ${profile} stack needs at least ${minNodes}: set tracardi:elasticsearch.nodes to ${minNodes} or more`);
    }
    const groupZones = [...new Set(servers.map((s) => s.group))].map((group) => ({ group, zones: zonesOfGroup(resources, group) }));
    const zones = new Set<string>();
    for (const { group, zones: inGroup } of groupZones) {
        if (inGroup.size > 1) {
            report(`search servers of ${describe(group)} may start in ${inGroup.size} zones: a node's volume lives in one zone, so its group launches there only`, group.urn);
        }
        inGroup.forEach((z) => zones.add(z));
    }
    const allKnown = groupZones.every((g) => g.zones.size > 0);
    if (allKnown && zones.size < Math.min(nodes, minZones)) {
        report(`the search servers sit in ${zones.size} zone(s); a ${profile} stack spreads its ${nodes} nodes over at least ${Math.min(nodes, minZones)}: ` +
            "give each node's group the data subnet of a zone of its own");
    }
    for (const server of servers.filter((s) => s.script !== undefined && nodes > 1)) {
        const awareness = searchSetting(server.script!, "cluster.routing.allocation.awareness.attributes") ?? "";
        if (!/\bzone\b/.test(awareness) || searchSetting(server.script!, "node.attr.zone") === undefined) {
            report(`${describe(server.group)} runs Elasticsearch without zone awareness: set node.attr.zone to the server's zone and ` +
                "cluster.routing.allocation.awareness.attributes to include zone in its elasticsearch.yml", server.group.urn);
        }
    }
}

export const searchCluster: StackValidationPolicy = {
    name: "tracardi-search-cluster",
    description: "Elasticsearch (ECK, or servers of its own) runs at least 3 zone-aware nodes over at least 3 zones in production (1 node, 2 zones in a minimal stack); external search lists as many hosts.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { ...thresholds("minSearchNodes", 3, 1, "Elasticsearch nodes"), ...thresholds("minZones", 3, 2, "Availability zones") },
    },
    validateStack: (args, report) => {
        const config = settings<Record<string, number>>(searchCluster.configSchema!, args);
        const profile = profileOf(args.resources);
        const minNodes = thresholdOf(config, "minSearchNodes", profile);
        const minZones = thresholdOf(config, "minZones", profile);
        const clusters = ofTypes(args.resources, K8S.elasticsearch);
        const servers = searchServersOf(args.resources);
        if (clusters.length === 0 && servers.length > 0) {
            checkServerSearch(args.resources, servers, profile, minNodes, minZones, report);
            return;
        }
        if (clusters.length === 0) {
            checkExternalSearch(args.resources, profile, minNodes, report);
            return;
        }
        for (const es of clusters) {
            const nodeSets = records(at(es.props, "spec.nodeSets"));
            const nodes = nodeSets.reduce((sum, s) => sum + (typeof s.count === "number" ? s.count : 0), 0);
            if (nodes < minNodes) {
                report(`${describe(es)} has ${nodes} node(s); a ${profile} stack needs at least ${minNodes}: ` +
                    `set tracardi:elasticsearch.nodes to ${minNodes} or more`, es.urn);
            }
            if (nodes > 1) {
                for (const set of nodeSets.filter((s) => !zoneAware(s))) {
                    report(`${describe(es)} node set ${text(set.name)} is not zone-aware: set zoneAwareness: {} on it (ECK 3.4+), or spread its pods ` +
                        `over ${ZONE_KEY} and set cluster.routing.allocation.awareness.attributes to include the zone`, es.urn);
                }
            }
        }
        const zones = zonesOf(args.resources).size;
        if (zones < minZones) {
            report(`the network spans ${zones} availability zone(s); a ${profile} stack needs at least ${minZones} for search to survive a zone loss: ` +
                `set tracardi:network.availabilityZones to ${minZones} or more`);
        }
    },
};

/** Required pod anti-affinity on the host that selects the Deployment's own pods. */
function onePodPerHost(deployment: PolicyResource): boolean {
    const spec = podSpecOf(deployment.type, deployment.props);
    const labels = podLabelsOf(deployment.type, deployment.props);
    return records(at(spec, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"))
        .some((term) => term.topologyKey === "kubernetes.io/hostname" && selects(term.labelSelector, labels));
}

function desiredNodes(nodeGroup: PolicyResource): number {
    const size = at(nodeGroup.props, "scalingConfig.desiredSize");
    return typeof size === "number" ? size : 0;
}

export const apiOnePerServer: StackValidationPolicy = {
    name: "tracardi-api-one-per-server",
    description: "Each API instance has a server of its own: on EKS required pod anti-affinity on the host, pods pinned to the tier's node group, " +
        "one node per instance; on servers, one API container per server of the tier's Auto Scaling group.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const nodeGroups = ofTypes(args.resources, AWS.nodeGroup);
        for (const tier of API_TIERS) {
            // Servers without Kubernetes: an instance is a server, as long as each runs one API container.
            for (const runner of readableRunners(args.resources, tier).filter((r) => r.compute === "vm")) {
                const apis = apiContainersOf(runner);
                if (apis.length > 1) {
                    report(`${runner.label} (${tier}) runs ${apis.length} API containers on each server ` +
                        `(${apis.map((c) => text(c.name)).join(", ")}): run one tracardi/tracardi-api container per server and size the group ` +
                        `to ${key(tier, "instances")} instead`, runner.resource.urn);
                }
            }
            const deployments = deploymentsOf(args.resources, tier);
            if (deployments.length === 0) {
                continue;
            }
            for (const deployment of deployments) {
                if (!onePodPerHost(deployment)) {
                    report(`${describe(deployment)} (${tier}) can put two API instances on one server: give its pod template a required ` +
                        "podAntiAffinity term on topologyKey kubernetes.io/hostname that selects its own pods", deployment.urn);
                }
                const pinned = record(podSpecOf(deployment.type, deployment.props).nodeSelector)[TIER_LABEL];
                if (pinned !== tier) {
                    report(`${describe(deployment)} (${tier}) is not pinned to its tier's servers: set nodeSelector ${TIER_LABEL}: ${tier} in its pod template`,
                        deployment.urn);
                }
            }
            const groups = nodeGroups.filter((g) => tierOfNodeGroup(g.props) === tier);
            const instances = deployments.reduce((sum, d) => sum + replicasOf(d), 0);
            const nodes = groups.reduce((sum, g) => sum + desiredNodes(g), 0);
            if (groups.length === 0) {
                report(`the ${tier} tier has no node group of its own (aws.eks.NodeGroup labelled ${TIER_LABEL}=${tier}): ` +
                    "one API instance per server needs the tier's own servers");
            } else if (nodes < instances) {
                report(`the ${tier} node group(s) run ${nodes} server(s) for ${instances} instance(s): the instances that find no server stay ` +
                    `pending; size the node group to ${key(tier, "instances")} (scalingConfig.desiredSize ${instances})`, groups[0].urn);
            }
        }
    },
};

export const clustersBehindLoadBalancers: StackValidationPolicy = {
    name: "tracardi-clusters-behind-load-balancers",
    description: "Every cluster sits behind its own load balancers: at least 2 per cluster in production, 1 in a minimal stack.",
    enforcementLevel: "mandatory",
    configSchema: { properties: thresholds("minLoadBalancersPerCluster", 2, 1, "Load balancers per cluster") },
    validateStack: (args, report) => {
        const config = settings<Record<string, number>>(clustersBehindLoadBalancers.configSchema!, args);
        const profile: Profile = profileOf(args.resources);
        const min = thresholdOf(config, "minLoadBalancersPerCluster", profile);
        const balancers = ofTypes(args.resources, AWS.loadBalancer);
        for (const cluster of CLUSTERS[profile]) {
            const count = balancers.filter((lb) => clusterOf(lb.props) === cluster).length;
            if (count === 0) {
                report(`the ${cluster} cluster has no load balancer (aws.lb.LoadBalancer tagged tracardi:tier=${cluster}): ` +
                    `every cluster is reached through at least ${min}`);
            } else if (count < min) {
                report(`the ${cluster} cluster sits behind ${count} load balancer(s); a ${profile} stack needs at least ${min} so one can fail: ` +
                    `set tracardi:loadBalancers.perCluster to ${min} or more`);
            }
        }
    },
};

export const topologyPolicies: StackValidationPolicy[] = [
    publicApiCluster, guiApiCluster, apiInstances, guiInstances, searchCluster, apiOnePerServer, clustersBehindLoadBalancers,
];
