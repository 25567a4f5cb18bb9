import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as Input from "@pulumi/kubernetes/types/input";
import { denyInsecureTransport } from "./iam";
import { leftForPod, NodeModel } from "./nodeModel";
import { guaranteed, JobManifest, PodResources, pythonJob, TIER_LABEL, tierLabels } from "./manifests";
import type { EnvVar, SecretKeyRef } from "./tracardiEnv";
import { eckEndpoint, eckSuperuser, SEARCH_CLUSTER_NAME, TRACARDI_SEARCH_ROLE, TRACARDI_SEARCH_SECRET, TRACARDI_SEARCH_USER } from "./search";

/**
 * The ECK-managed search cluster as plain data: the Elasticsearch resource, its storage, its
 * network policy and the snapshot set-up, rendered here and created as they are by
 * components/searchCluster.ts.
 */

type Meta = Input.meta.v1.ObjectMeta;

/** The Elastic Cloud on Kubernetes operator, pinned (3.5 supports Kubernetes 1.32 to 1.36). */
export const ECK_OPERATOR = {
    chart: "eck-operator",
    version: "3.5.0",
    repository: "https://helm.elastic.co",
    namespace: "elastic-system",
    /** Lifetime of the CAs the operator creates (its default is a year). */
    caValidity: "43800h",
    /** The chart's defaults, set explicitly so the offline scheduling check reads what runs. */
    resources: { requests: { cpu: "100m", memory: "150Mi" }, limits: { cpu: "1", memory: "1Gi" } },
} as const;

/** Node label and taint value of the search servers, and the component label of the search pods. */
export const SEARCH_TIER = "search";
export const SEARCH_NODE_SET = "default";
export const SEARCH_STORAGE_CLASS = "tracardi-search";
/** Components of the set-up jobs: the only pods besides Tracardi's that reach search. */
export const SNAPSHOT_COMPONENT = "search-snapshots";
export const SEARCH_USER_COMPONENT = "search-user";
export const ZONE_LABEL = "topology.kubernetes.io/zone";
/** Label ECK puts on every pod of a cluster. */
export const ES_CLUSTER_LABEL = "elasticsearch.k8s.elastic.co/cluster-name";
export const HTTP_PORT = 9200;
export const TRANSPORT_PORT = 9300;

/**
 * Search nodes per zone, over the first zones: as even as the count allows, and never more
 * zones than nodes, so every zone with a node group has a node to run.
 */
export function nodesPerZone(nodes: number, zones: number): number[] {
    const used = Math.min(nodes, zones);
    return Array.from({ length: used }, (_, i) => Math.floor(nodes / used) + (i < nodes % used ? 1 : 0));
}

/** Below this Elasticsearch (1 GiB heap) has no room for Tracardi's indices. */
export const SEARCH_MIN_MEMORY_MIB = 2048;
/** Above ~31 GiB the JVM loses compressed object pointers: a bigger heap holds less. */
export const MAX_HEAP_MIB = 31 * 1024;

/** Elasticsearch has its server to itself: what the node model leaves pods but the headroom, requests equal to limits. */
export function searchPodResources(node: NodeModel): PodResources {
    const { cpuMillis, memoryMiB } = leftForPod(node, []);
    if (memoryMiB < SEARCH_MIN_MEMORY_MIB) {
        throw new RangeError(`a ${node.instance.instanceType} leaves Elasticsearch ${memoryMiB} MiB; it needs ${SEARCH_MIN_MEMORY_MIB}`);
    }
    return guaranteed(cpuMillis, memoryMiB);
}

/** Half the container for the heap, the rest for Lucene's file cache; capped where compressed pointers end. */
export function heapMiB(containerMemoryMiB: number): number {
    return Math.min(Math.floor(containerMemoryMiB / 2), MAX_HEAP_MIB);
}

/**
 * The Secret whose keys ECK loads into every node's keystore (spec.secureSettings): the S3
 * client's static credentials. Elasticsearch 8.11's repository-s3 does not re-read a rotated
 * web-identity token (elastic/elasticsearch#101828, fixed by #104135 after 8.11; the STS client
 * shutdown of #115186 and #118678 lasted into 8.16), so service-account credentials stop working
 * a day after start. Keystore credentials do not expire. The Secret is named for its access key:
 * a rotated key is a new Secret, so the old one stays until the nodes have rolled onto the new one
 * (ECK's config hash covers the Secret; it restarts the nodes one at a time).
 */
export const snapshotCredentialsSecret = (accessKeyId: string): string => `tracardi-search-s3-${accessKeyId.toLowerCase()}`;
export const S3_ACCESS_KEY_SETTING = "s3.client.default.access_key";
export const S3_SECRET_KEY_SETTING = "s3.client.default.secret_key";

/**
 * SLM's health indicator (`GET _health_report`, indicator `slm`) turns yellow after this many
 * failed snapshots in a row (Elasticsearch 8.4+, default 5): one failure is enough to alarm on.
 */
const SLM_FAILED_SNAPSHOT_WARN_THRESHOLD = 1;

export interface ElasticsearchArgs {
    namespace: string;
    /** Pinned Elasticsearch version. */
    version: string;
    /** Master-eligible data nodes. */
    nodes: number;
    resources: PodResources;
    volumeGiB: number;
    /** The Secret holding the S3 credentials (snapshotCredentialsSecret). */
    credentialsSecret: string;
    /** Region of the snapshot bucket: its regional endpoint keeps snapshot traffic on the VPC's S3 endpoint. */
    region: string;
}

/**
 * Pulumi does not await custom resources by default; this makes it wait until ECK reports the
 * cluster Ready (not ApplyingChanges: a rolling restart is over) and green, for the current
 * generation (pulumi-kubernetes metadata/overrides.go takes a JSON list, all must hold;
 * condition/jsonpath.go checks observedGeneration). From 0.9 the API exits at start-up unless
 * search answers, so its Deployments are created after this, instead of crash-looping against
 * the rollout's 10-minute await.
 */
export const SEARCH_AWAIT = { "pulumi.com/waitFor": JSON.stringify(["jsonpath={.status.phase}=Ready", "jsonpath={.status.health}=green"]) };

export interface ElasticsearchManifest {
    apiVersion: "elasticsearch.k8s.elastic.co/v1";
    kind: "Elasticsearch";
    metadata: Meta;
    spec: Record<string, unknown>;
}

/**
 * One node set of master-eligible data nodes spread one per zone: the scheduler spreads them
 * (topology spread on the zone, one per server), ECK copies each server's zone onto its pod
 * (downward-node-labels), and Elasticsearch allocates the copies of a shard to different zones.
 */
export function elasticsearchResource(args: ElasticsearchArgs): ElasticsearchManifest {
    const cluster = { [ES_CLUSTER_LABEL]: SEARCH_CLUSTER_NAME };
    const heap = heapMiB(parseInt(args.resources.limits.memory, 10));
    const podSpec: Input.core.v1.PodSpec = {
        // Nothing in the pod calls the Kubernetes API.
        automountServiceAccountToken: false,
        nodeSelector: { [TIER_LABEL]: SEARCH_TIER },
        tolerations: [{ key: TIER_LABEL, operator: "Equal", value: SEARCH_TIER, effect: "NoSchedule" }],
        affinity: {
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: cluster }, topologyKey: "kubernetes.io/hostname" }],
            },
        },
        // A node whose zone is lost waits for its zone: its volume cannot follow it elsewhere.
        topologySpreadConstraints: [{
            maxSkew: 1,
            topologyKey: ZONE_LABEL,
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { ...cluster, "elasticsearch.k8s.elastic.co/statefulset-name": `${SEARCH_CLUSTER_NAME}-es-${SEARCH_NODE_SET}` } },
        }],
        containers: [{
            name: "elasticsearch",
            resources: args.resources,
            env: [
                { name: "ES_JAVA_OPTS", value: `-Xms${heap}m -Xmx${heap}m` },
                { name: "ZONE", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${ZONE_LABEL}']` } } },
            ],
        }],
    };
    return {
        apiVersion: "elasticsearch.k8s.elastic.co/v1",
        kind: "Elasticsearch",
        metadata: {
            name: SEARCH_CLUSTER_NAME,
            namespace: args.namespace,
            labels: tierLabels(SEARCH_TIER),
            annotations: { "eck.k8s.elastic.co/downward-node-labels": ZONE_LABEL, ...SEARCH_AWAIT },
        },
        spec: {
            version: args.version,
            // Volumes outlive the cluster resource: only a deliberate scale-down deletes a claim.
            volumeClaimDeletePolicy: "DeleteOnScaledownOnly",
            // TLS with the operator's self-signed CA is ECK's default; the service stays inside the cluster.
            http: { service: { spec: { type: "ClusterIP" } } },
            // No podDisruptionBudget: ECK's default lets one node go at a time, and only while the
            // cluster is green, which a fixed budget cannot express.
            updateStrategy: { changeBudget: { maxUnavailable: 1 } },
            secureSettings: [{ secretName: args.credentialsSecret }],
            nodeSets: [{
                name: SEARCH_NODE_SET,
                count: args.nodes,
                config: {
                    "node.roles": ["master", "data", "ingest"],
                    "node.attr.zone": "${ZONE}",
                    // ECK's k8s_node_name keeps copies off one server; zone keeps them off one zone.
                    "cluster.routing.allocation.awareness.attributes": "k8s_node_name,zone",
                    "s3.client.default.endpoint": `s3.${args.region}.amazonaws.com`,
                    "slm.health.failed_snapshot_warn_threshold": SLM_FAILED_SNAPSHOT_WARN_THRESHOLD,
                },
                podTemplate: { metadata: { labels: tierLabels(SEARCH_TIER) }, spec: podSpec },
                volumeClaimTemplates: [{
                    metadata: { name: "elasticsearch-data" },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        resources: { requests: { storage: `${args.volumeGiB}Gi` } },
                        storageClassName: SEARCH_STORAGE_CLASS,
                    },
                }],
            }],
        },
    };
}

/**
 * Encrypted gp3 volumes created in the zone of the pod that claims them, kept when the claim
 * goes, and growable in place.
 */
export function searchStorageClass(tags: Record<string, string>): {
    metadata: Meta; provisioner: string; parameters: Record<string, string>;
    reclaimPolicy: string; volumeBindingMode: string; allowVolumeExpansion: boolean;
} {
    // The EBS CSI driver tags each volume it creates, so retained volumes can be traced to the stack.
    const tagParameters = Object.entries(tags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]);
    return {
        metadata: { name: SEARCH_STORAGE_CLASS, labels: tierLabels(SEARCH_TIER) },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4", ...Object.fromEntries(tagParameters) },
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}

/**
 * Only the given components of Tracardi (API tiers, workers, the set-up jobs) and the operator
 * reach the HTTP port; the transport port is for the search nodes among themselves.
 */
export function searchNetworkPolicy(namespace: string, clients: string[]): { metadata: Meta; spec: Input.networking.v1.NetworkPolicySpec } {
    const cluster = { [ES_CLUSTER_LABEL]: SEARCH_CLUSTER_NAME };
    return {
        metadata: { name: `${SEARCH_CLUSTER_NAME}-search`, namespace, labels: tierLabels(SEARCH_TIER) },
        spec: {
            podSelector: { matchLabels: cluster },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    from: [
                        {
                            podSelector: {
                                matchLabels: { "app.kubernetes.io/part-of": "tracardi" },
                                matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: [...clients].sort() }],
                            },
                        },
                        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ECK_OPERATOR.namespace } } },
                    ],
                    ports: [{ protocol: "TCP", port: HTTP_PORT }],
                },
                { from: [{ podSelector: { matchLabels: cluster } }], ports: [{ protocol: "TCP", port: TRANSPORT_PORT }] },
            ],
        },
    };
}

export const SNAPSHOT_REPOSITORY = "tracardi-s3";
export const SNAPSHOT_POLICY = "tracardi-daily";

export interface SnapshotSchedule {
    /** Elasticsearch cron (seconds first), in UTC. */
    cron: string;
    /** Days a snapshot is kept. */
    retentionDays: number;
}

/** Every night at 01:30 UTC, kept 30 days. */
export const DAILY_SNAPSHOTS: SnapshotSchedule = { cron: "0 30 1 * * ?", retentionDays: 30 };

/** The S3 repository: credentials come from the nodes' keystore (client `default`), encryption from the bucket's default. */
export function snapshotRepository(bucket: string): { type: "s3"; settings: Record<string, string> } {
    return { type: "s3", settings: { bucket, base_path: SEARCH_CLUSTER_NAME } };
}

/**
 * Snapshot lifecycle policy: every index and the cluster state (Tracardi's index templates), so
 * a lost cluster can be restored whole. Expired snapshots go, but the last seven always stay.
 */
export function snapshotPolicy(schedule: SnapshotSchedule): Record<string, unknown> {
    return {
        schedule: schedule.cron,
        name: "<daily-{now/d}>",
        repository: SNAPSHOT_REPOSITORY,
        config: { indices: ["*"], include_global_state: true },
        retention: { expire_after: `${schedule.retentionDays}d`, min_count: 7, max_count: schedule.retentionDays * 2 },
    };
}

/** stdlib-only Python, run in the same pinned image as the install job. */
export const SNAPSHOT_SCRIPT = fs.readFileSync(path.join(__dirname, "snapshots", "register.py"), "utf8");
const CA_DIR = "/etc/elastic-ca";
const TRACARDI_SEARCH_ROLE_NAME = "tracardi";

export interface SnapshotJobArgs {
    namespace: string;
    repository: ReturnType<typeof snapshotRepository>;
    policy: Record<string, unknown>;
}

/**
 * A set-up job that calls the cluster as the `elastic` user over verified TLS. Its name carries a
 * digest of what it sends: changed bodies are a new job (a job cannot change).
 */
function superuserJob(args: { namespace: string; component: string; env: EnvVar[]; secretFiles?: Record<string, SecretKeyRef> }): JobManifest {
    const endpoint = eckEndpoint();
    const superuser = eckSuperuser();
    const digest = crypto.createHash("sha256").update([...args.env.map((e) => JSON.stringify(e)), SNAPSHOT_SCRIPT].join("\n")).digest("hex").slice(0, 10);
    return pythonJob({
        name: `${args.component}-${digest}`,
        namespace: args.namespace,
        component: args.component,
        script: SNAPSHOT_SCRIPT,
        backoffLimit: 6,
        env: [
            { name: "ES_URL", value: `https://${endpoint.hosts}` },
            { name: "ES_USERNAME", value: superuser.username },
            { name: "ES_CA_FILE", value: `${CA_DIR}/${endpoint.ca.key}` },
            ...args.env,
        ],
        secretFiles: { ES_PASSWORD: superuser.password, ...args.secretFiles },
        volumeMounts: [{ name: "elastic-ca", mountPath: CA_DIR, readOnly: true }],
        volumes: [{
            name: "elastic-ca",
            secret: { secretName: endpoint.ca.name, items: [{ key: endpoint.ca.key, path: endpoint.ca.key }] },
        }],
    });
}

type PlainEnv = { name: string; value: string }[];

/** register.py's inputs for Tracardi's role and user, the password read from `password`: on EKS a job, on servers a unit. */
export function searchUserInputs(password: SecretKeyRef): { env: PlainEnv; secretFiles: Record<string, SecretKeyRef> } {
    return {
        env: [
            { name: "ROLE", value: TRACARDI_SEARCH_ROLE_NAME },
            { name: "ROLE_BODY", value: JSON.stringify(TRACARDI_SEARCH_ROLE) },
            { name: "TRACARDI_USERNAME", value: TRACARDI_SEARCH_USER },
        ],
        secretFiles: { TRACARDI_PASSWORD: password },
    };
}

/** register.py's inputs for the snapshot repository and policy. */
export function snapshotInputs(repository: ReturnType<typeof snapshotRepository>, policy: Record<string, unknown>): PlainEnv {
    return [
        { name: "REPOSITORY", value: SNAPSHOT_REPOSITORY },
        { name: "REPOSITORY_BODY", value: JSON.stringify(repository) },
        { name: "POLICY", value: SNAPSHOT_POLICY },
        { name: "POLICY_BODY", value: JSON.stringify(policy) },
    ];
}

/** The job that creates Tracardi's role and user (its password from the stack's Secret): what the API waits for. */
export function searchUserJob(namespace: string): JobManifest {
    return superuserJob({ namespace, component: SEARCH_USER_COMPONENT, ...searchUserInputs({ ...TRACARDI_SEARCH_SECRET }) });
}

/**
 * The job that registers the snapshot repository and policy. Nothing waits for it: a snapshot
 * problem (S3, the key, a fresh access key not yet valid) must not keep Tracardi from starting.
 */
export function snapshotJob(args: SnapshotJobArgs): JobManifest {
    return superuserJob({ namespace: args.namespace, component: SNAPSHOT_COMPONENT, env: snapshotInputs(args.repository, args.policy) });
}

/**
 * What the search nodes' S3 identity may do: read and write snapshots in one bucket, with its key.
 * Statements, for a role that holds others too; snapshotAccessPolicy makes them a document.
 */
export function snapshotAccessStatements(bucketArn: string, keyArn: string, s3EndpointId: string): Record<string, unknown>[] {
    // Only through the VPC's S3 endpoint: a leaked key pair is useless anywhere else. S3 calls KMS
    // for the user, so the key is reached through S3 only.
    const throughEndpoint = { StringEquals: { "aws:SourceVpce": s3EndpointId } };
    return [
        {
            Sid: "SnapshotBucket",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"],
            Resource: bucketArn,
            Condition: throughEndpoint,
        },
        {
            Sid: "SnapshotObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: `${bucketArn}/*`,
            Condition: throughEndpoint,
        },
        {
            Sid: "SnapshotKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn,
            Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        },
    ];
}

export function snapshotAccessPolicy(bucketArn: string, keyArn: string, s3EndpointId: string): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: snapshotAccessStatements(bucketArn, keyArn, s3EndpointId) });
}

/** The snapshot bucket admits TLS only. */
export function snapshotBucketPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [denyInsecureTransport(bucketArn)],
    });
}
