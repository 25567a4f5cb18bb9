import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { INGRESS_TYPES, ingressOf } from "../lib/ingress";
import { COMPONENT_LABEL } from "../lib/kubernetes";
import { at, byType, describe, isTrue, ofTypes, Plain, record, records, settings, tagsOf, text, texts, Validate } from "../lib/props";
import { API_TIERS, serverSecurityGroupsOf, TIER_TAG } from "../lib/tiers";
import { AWS, BUCKETS, K8S, SECURITY_GROUPS } from "../lib/types";
import { SEARCH_TIER, SearchServers, searchServersOf, searchSetting } from "../lib/search";

/** Data at rest: encrypted, protected from deletion, and reachable only from the API tiers. */

const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/** An instance's or a launch configuration's volumes: the root device and every EBS device encrypted. */
function blockDevicesEncrypted(kind: string): Validate {
    return (props, { name }, report) => {
        const unencrypted = [record(props.rootBlockDevice), ...records(props.ebsBlockDevices)].filter((d) => !isTrue(d.encrypted));
        if (unencrypted.length > 0) {
            report(`${kind} ${name} has unencrypted volumes: set encrypted: true on rootBlockDevice and every ebsBlockDevices entry`);
        }
    };
}

export const encryptionAtRest: ResourceValidationPolicy = {
    name: "tracardi-encryption-at-rest",
    description: "Every EBS volume (launch templates and configurations, instances, volumes, EBS storage classes), RDS database and ElastiCache group is encrypted at rest.",
    enforcementLevel: "mandatory",
    validateResource: byType({
        [AWS.launchTemplate]: (props, { name }, report) => {
            const volumes = records(props.blockDeviceMappings).filter((m) => m.ebs !== undefined);
            if (volumes.length === 0) {
                report(`launch template ${name} leaves its root volume's encryption to the account default: ` +
                    "declare the root device in blockDeviceMappings with ebs.encrypted \"true\"");
            }
            for (const m of volumes.filter((v) => !isTrue(at(v, "ebs.encrypted")))) {
                report(`launch template ${name} volume ${text(m.deviceName)} is not encrypted: set ebs.encrypted to "true"`);
            }
        },
        [AWS.instance]: blockDevicesEncrypted("instance"),
        [AWS.launchConfiguration]: blockDevicesEncrypted("launch configuration"),
        [AWS.ebsVolume]: (props, { name }, report) => {
            if (!isTrue(props.encrypted)) {
                report(`EBS volume ${name} is not encrypted: set encrypted: true`);
            }
        },
        [AWS.rdsInstance]: (props, { name }, report) => {
            if (!isTrue(props.storageEncrypted)) {
                report(`RDS instance ${name} is not encrypted at rest: set storageEncrypted: true (a new instance: encryption cannot be added later)`);
            }
        },
        [AWS.replicationGroup]: (props, { name }, report) => {
            if (!isTrue(props.atRestEncryptionEnabled)) {
                report(`ElastiCache replication group ${name} is not encrypted at rest: set atRestEncryptionEnabled: true`);
            }
        },
        [K8S.storageClass]: (props, { name }, report) => {
            if (EBS_PROVISIONERS.includes(text(props.provisioner) ?? "") && record(props.parameters).encrypted !== "true") {
                report(`StorageClass ${name} provisions unencrypted EBS volumes: set parameters.encrypted to "true"`);
            }
        },
    }),
};

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Default-encryption algorithms of a configuration resource (`rules`) or of a bucket's inline block (one `rule`). */
function sseAlgorithms(props: Plain): string[] {
    const rules = props.rules !== undefined ? records(props.rules) : [record(at(props, "serverSideEncryptionConfiguration.rule"))];
    return rules
        .map((rule) => text(at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")))
        .filter((a): a is string => a !== undefined);
}

export const bucketEncryption: StackValidationPolicy = {
    name: "tracardi-bucket-encryption",
    description: "Every S3 bucket declares its default encryption (SSE-S3 or SSE-KMS) in the program, so the provider detects drift.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const configs = ofTypes(args.resources, AWS.bucketEncryption, AWS.bucketEncryptionV2);
        for (const bucket of ofTypes(args.resources, ...BUCKETS)) {
            const declared = [
                ...sseAlgorithms(bucket.props),
                ...configs.filter((c) => c.dependencies.some((d) => d.urn === bucket.urn)).flatMap((c) => sseAlgorithms(c.props)),
            ];
            if (declared.length === 0 || !declared.every((a) => SSE_ALGORITHMS.includes(a))) {
                report(`S3 bucket ${bucket.name} declares no default encryption: add an aws.s3.BucketServerSideEncryptionConfiguration for it ` +
                    `with sseAlgorithm ${SSE_ALGORITHMS.join(" or ")}`, bucket.urn);
            }
        }
    },
};

const PROTECTED_TYPES: string[] = [AWS.rdsInstance, AWS.replicationGroup, K8S.elasticsearch, ...BUCKETS, AWS.ebsVolume, K8S.pvc];

/** Buckets that only receive load-balancer access logs: records, not the stack's data. */
function accessLogBuckets(resources: PolicyResource[]): Set<string> {
    return new Set(ofTypes(resources, AWS.loadBalancer).map((lb) => text(at(lb.props, "accessLogs.bucket"))).filter((b): b is string => !!b));
}

export const statefulProtected: StackValidationPolicy = {
    name: "tracardi-stateful-protected",
    description: "Stateful resources (MySQL, Redis, Elasticsearch, data buckets such as search snapshots, volumes and claims) are protected from deletion; storage outlives its claims.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const logBuckets = accessLogBuckets(args.resources);
        for (const r of args.resources) {
            const props = r.props;
            if (r.type === K8S.storageClass && props.reclaimPolicy !== "Retain") {
                report(`StorageClass ${r.name} deletes a volume with its claim: set reclaimPolicy: Retain`, r.urn);
            }
            if (!PROTECTED_TYPES.includes(r.type)) {
                continue;
            }
            const isLogBucket = BUCKETS.includes(r.type) &&
                [text(props.bucket), text(props.id)].some((b) => b !== undefined && logBuckets.has(b));
            if (!r.opts.protect && !isLogBucket) {
                report(`${r.name} holds data but can be deleted by pulumi destroy or a replacement: set the resource option protect: true`, r.urn);
            }
            if (r.type === AWS.rdsInstance) {
                if (!isTrue(props.deletionProtection)) {
                    report(`RDS instance ${r.name} can be deleted through the AWS API: set deletionProtection: true`, r.urn);
                }
                if (isTrue(props.skipFinalSnapshot)) {
                    report(`RDS instance ${r.name} skips its final snapshot on deletion: set skipFinalSnapshot: false and a finalSnapshotIdentifier`, r.urn);
                }
            }
            if (r.type === K8S.elasticsearch && at(props, "spec.volumeClaimDeletePolicy") === "DeleteOnScaledownAndClusterDeletion") {
                report(`Elasticsearch ${r.name} deletes its volumes with the cluster: set spec.volumeClaimDeletePolicy to DeleteOnScaledownOnly`, r.urn);
            }
        }
    },
};

/**
 * Security groups of the API tiers' servers, on either compute: those the launch templates of
 * their node groups or Auto Scaling groups attach, and those tagged as a tier's (lib/tiers.ts).
 */
function apiServerGroups(resources: PolicyResource[]): Set<string> {
    return new Set(API_TIERS.flatMap((tier) => [...serverSecurityGroupsOf(resources, tier)]));
}

/** Ingress into one security group: its inline rules and the rule resources that target it. */
function ingressInto(resources: PolicyResource[], group: PolicyResource) {
    const id = text(group.props.id);
    const rules = ofTypes(resources, ...INGRESS_TYPES).filter((r) => r.urn !== group.urn && id !== undefined && text(r.props.securityGroupId) === id);
    return [group, ...rules].flatMap((r) => ingressOf(r.type, r.props).map((rule) => ({ resource: r, rule })));
}

/** A store's subnet group: named in its inputs (a plain name leaves no dependency) or depended on. */
function subnetGroupsOf(resources: PolicyResource[], store: PolicyResource): PolicyResource[] {
    const [type, field] = store.type === AWS.rdsInstance ? [AWS.rdsSubnetGroup, "dbSubnetGroupName"] : [AWS.cacheSubnetGroup, "subnetGroupName"];
    const name = text(store.props[field]);
    return ofTypes(resources, type).filter((g) =>
        (name !== undefined && text(g.props.name) === name) || store.dependencies.some((d) => d.urn === g.urn));
}

export const dataStoresPrivate: StackValidationPolicy = {
    name: "tracardi-data-stores-private",
    description: "MySQL (RDS) and Redis (ElastiCache) live in the data subnets, are not public, and admit only the API tiers' servers.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const apiGroups = apiServerGroups(args.resources);
        for (const store of ofTypes(args.resources, AWS.rdsInstance, AWS.replicationGroup)) {
            const what = describe(store);
            if (store.type === AWS.rdsInstance && isTrue(store.props.publiclyAccessible)) {
                report(`${what} is publicly accessible: set publiclyAccessible: false`, store.urn);
            }
            const subnetGroups = subnetGroupsOf(args.resources, store);
            if (subnetGroups.length === 0) {
                report(`${what} has no subnet group of the stack: give it one listing the data subnets`, store.urn);
            }
            for (const subnet of subnetGroups.flatMap((g) => ofTypes(g.dependencies, AWS.subnet))) {
                const tier = tagsOf(subnet.props)["tracardi:subnet-tier"];
                if (tier !== "data") {
                    report(`${what} can be placed in subnet ${subnet.name} (tier ${tier ?? "untagged"}): list only the data subnets in its subnet group`, store.urn);
                }
            }
            const groups = ofTypes(store.dependencies, ...SECURITY_GROUPS);
            if (groups.length === 0) {
                report(`${what} has no security group of the stack: give it one that admits only the API tiers' server security groups`, store.urn);
            }
            for (const group of groups) {
                for (const { resource, rule } of ingressInto(args.resources, group)) {
                    for (const cidr of rule.cidrs) {
                        report(`${resource.name} lets ${cidr} reach ${what}: a data store admits only the API tiers' server security groups, never networks`, store.urn);
                    }
                    for (const source of rule.sourceGroups().filter((s) => s !== "self" && !apiGroups.has(s))) {
                        report(`${resource.name} lets security group ${source} reach ${what}: only the security groups of the ` +
                            `${API_TIERS.join("/")} servers (their node groups or Auto Scaling groups, tag ${TIER_TAG}) may`, store.urn);
                    }
                }
            }
        }
    },
};

const ES_CLUSTER_LABEL = "elasticsearch.k8s.elastic.co/cluster-name";

/** Whether a NetworkPolicy peer is a pod of an allowed component, of the search cluster itself, or the operator's namespace. */
function allowedPeer(peer: Plain, esName: string, clients: string[], operatorNamespace: string): boolean {
    if (peer.ipBlock !== undefined) {
        return false;
    }
    if (peer.namespaceSelector !== undefined) {
        return record(at(peer, "namespaceSelector.matchLabels"))["kubernetes.io/metadata.name"] === operatorNamespace;
    }
    const selector = record(peer.podSelector);
    const labels = record(selector.matchLabels);
    if (labels[ES_CLUSTER_LABEL] === esName) {
        return true;
    }
    const component = text(labels[COMPONENT_LABEL]);
    const expressions = records(selector.matchExpressions);
    const byLabel = component !== undefined && clients.includes(component);
    const byExpression = expressions.length > 0 && expressions.every((e) =>
        e.key === COMPONENT_LABEL && e.operator === "In" && texts(e.values).every((v) => clients.includes(v)));
    return (byLabel && expressions.length === 0) || (byExpression && component === undefined);
}

/**
 * Search on servers of the stack: TLS on both ports, an internal endpoint, and
 * security groups that admit the API tiers' and search's own groups, never a network.
 */
function checkServerSearchPrivate(resources: PolicyResource[], servers: SearchServers[], report: (message: string, urn?: string) => void): void {
    // A public address on any server's template is tracardi-no-public-ips' to report.
    for (const { group, script } of servers) {
        for (const setting of ["xpack.security.enabled", "xpack.security.http.ssl.enabled", "xpack.security.transport.ssl.enabled"]) {
            if (script !== undefined && searchSetting(script, setting) !== "true") {
                report(`${describe(group)} runs Elasticsearch without ${setting}: set it to true in its elasticsearch.yml`, group.urn);
            }
        }
    }
    for (const lb of ofTypes(resources, AWS.loadBalancer).filter((r) => tagsOf(r.props)[TIER_TAG] === SEARCH_TIER && !isTrue(r.props.internal))) {
        report(`${describe(lb)} puts search on the Internet: set internal: true`, lb.urn);
    }
    const searchGroups = serverSecurityGroupsOf(resources, SEARCH_TIER);
    const allowed = new Set([...apiServerGroups(resources), ...searchGroups]);
    for (const group of ofTypes(resources, ...SECURITY_GROUPS).filter((g) => searchGroups.has(text(g.props.id) ?? ""))) {
        for (const { resource, rule } of ingressInto(resources, group)) {
            for (const cidr of rule.cidrs) {
                report(`${resource.name} lets ${cidr} reach search (${group.name}): search admits the API tiers' and its own security groups, never networks`, resource.urn);
            }
            for (const source of rule.sourceGroups().filter((g) => g !== "self" && !allowed.has(g))) {
                report(`${resource.name} lets security group ${source} reach search (${group.name}): only the API tiers' and search's own groups may`, resource.urn);
            }
        }
    }
}

export const searchPrivate: StackValidationPolicy = {
    name: "tracardi-search-private",
    description: "Elasticsearch is private: on EKS no external service, and a NetworkPolicy (enforced by the VPC CNI) admits only the API tiers, its own nodes and the operator; " +
        "on servers of its own no public address, TLS on HTTP and transport, an internal endpoint, and no network admitted by its security groups.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            searchClients: {
                type: "array", items: { type: "string" }, default: ["public-api", "internal-api", "api", "update-worker", "apm", "search-snapshots", "search-user"],
                description: "Components (app.kubernetes.io/component) that may reach Elasticsearch: the API tiers, their workers and the set-up jobs (snapshots, Tracardi's user).",
            },
            operatorNamespace: { type: "string", default: "elastic-system", description: "Namespace of the ECK operator." },
        },
    },
    validateStack: (args, report) => {
        const config = settings<{ searchClients: string[]; operatorNamespace: string }>(searchPrivate.configSchema!, args);
        const clusters = ofTypes(args.resources, K8S.elasticsearch);
        const servers = searchServersOf(args.resources);
        if (clusters.length === 0 && servers.length === 0) {
            args.notApplicable("the stack runs no Elasticsearch");
        }
        checkServerSearchPrivate(args.resources, servers, report);
        if (clusters.length === 0) {
            return;
        }
        const policies = ofTypes(args.resources, K8S.networkPolicy);
        for (const es of clusters) {
            const esName = text(at(es.props, "metadata.name")) ?? es.name;
            const namespace = text(at(es.props, "metadata.namespace")) ?? "default";
            const serviceType = text(at(es.props, "spec.http.service.spec.type"));
            if (serviceType === "LoadBalancer" || serviceType === "NodePort") {
                report(`Elasticsearch ${es.name} publishes its HTTP service as ${serviceType}: leave spec.http.service.spec.type as ClusterIP`, es.urn);
            }
            // Labels of the search pods: what ECK adds, and what the node sets' pod templates add.
            const podLabels: Plain = Object.assign({ [ES_CLUSTER_LABEL]: esName },
                ...records(at(es.props, "spec.nodeSets")).map((set) => record(at(set, "podTemplate.metadata.labels"))));
            const ingressPolicies = policies.filter((p) => (text(at(p.props, "metadata.namespace")) ?? "default") === namespace &&
                (texts(at(p.props, "spec.policyTypes")).length === 0 || texts(at(p.props, "spec.policyTypes")).includes("Ingress")));
            if (!ingressPolicies.some((p) => record(at(p.props, "spec.podSelector.matchLabels"))[ES_CLUSTER_LABEL] === esName)) {
                report(`Elasticsearch ${es.name} admits every pod of the cluster: add a NetworkPolicy in ${namespace} selecting ` +
                    `${ES_CLUSTER_LABEL}=${esName} that admits only ${config.searchClients.join(", ")}, the search nodes and the ${config.operatorNamespace} namespace`, es.urn);
            }
            // Policies add up: any that may select the search pods (match expressions are assumed to) must admit no one else.
            const applying = ingressPolicies.filter((p) =>
                Object.entries(record(at(p.props, "spec.podSelector.matchLabels"))).every(([k, v]) => podLabels[k] === v));
            for (const policy of applying) {
                for (const rule of records(at(policy.props, "spec.ingress"))) {
                    const peers = records(rule.from);
                    if (peers.length === 0 || !peers.every((p) => allowedPeer(p, esName, config.searchClients, config.operatorNamespace))) {
                        report(`NetworkPolicy ${policy.name} admits more than the API tiers to Elasticsearch ${es.name}: list in its from only pods of ` +
                            `${config.searchClients.join(", ")}, the search nodes and the ${config.operatorNamespace} namespace`, policy.urn);
                    }
                }
            }
        }
        const enforced = ofTypes(args.resources, AWS.eksAddon).some((a) => a.props.addonName === "vpc-cni" &&
            /"enableNetworkPolicy"\s*:\s*"true"/.test(text(a.props.configurationValues) ?? ""));
        if (!enforced) {
            report("NetworkPolicies are not enforced: add the vpc-cni aws.eks.Addon with configurationValues {\"enableNetworkPolicy\": \"true\"}");
        }
    },
};

export const dataPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    encryptionAtRest, bucketEncryption, statefulProtected, dataStoresPrivate, searchPrivate,
];
