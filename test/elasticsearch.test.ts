import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as fc from "fast-check";
import {
    DAILY_SNAPSHOTS, elasticsearchResource, ElasticsearchArgs, heapMiB, MAX_HEAP_MIB, nodesPerZone, SEARCH_STORAGE_CLASS, searchNetworkPolicy,
    searchPodResources, searchStorageClass, searchUserJob, snapshotAccessPolicy, snapshotCredentialsSecret, snapshotBucketPolicy, snapshotJob, snapshotPolicy, snapshotRepository,
    SNAPSHOT_SCRIPT,
} from "../lib/elasticsearch";
import { nodeModel } from "../lib/nodeModel";
import {
    eckSearchConnection, eckSuperuser, endpointProblem, EXTERNAL_SEARCH_SECRET, externalSearchConnection, isElasticCloudId, SEARCH_CLUSTER_NAME,
    TRACARDI_SEARCH_ROLE,
} from "../lib/search";
import { dataEnv } from "../lib/tracardiEnv";
import { readStackFile } from "../stacks/config";
import { ConfigError, ConfigProblem } from "../stacks/errors";
import { parseStackConfig } from "../stacks/spec";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// eslint-disable-next-line @typescript-eslint/no-require-imports
const model = (path: string, kind: string) => (require(`kubernetes-models/${path}`) as Obj)[kind];
const StorageClass = model("storage.k8s.io/v1/StorageClass", "StorageClass");
const NetworkPolicy = model("networking.k8s.io/v1/NetworkPolicy", "NetworkPolicy");
const Job = model("batch/v1/Job", "Job");
const PodSpec = model("v1/PodSpec", "PodSpec");
const PersistentVolumeClaimSpec = model("v1/PersistentVolumeClaimSpec", "PersistentVolumeClaimSpec");

const R6I_LARGE = nodeModel("r6i.large")!;
const args = (changes: Partial<ElasticsearchArgs> = {}): ElasticsearchArgs => ({
    namespace: "tracardi-prod", version: "8.11.3", nodes: 3, resources: searchPodResources(R6I_LARGE), volumeGiB: 100,
    region: "eu-west-1", credentialsSecret: "tracardi-search-s3-akiaexample", ...changes,
});
const nodeSetOf = (es: { spec: Obj }) => es.spec.nodeSets[0] as Obj;

describe("search nodes: placement and size", () => {
    it("spreads nodes over the zones as evenly as possible, one zone per node at most", () => {
        assert.deepStrictEqual(nodesPerZone(3, 3), [1, 1, 1]);
        assert.deepStrictEqual(nodesPerZone(1, 2), [1]);
        assert.deepStrictEqual(nodesPerZone(5, 3), [2, 2, 1]);
        fc.assert(fc.property(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 2, max: 6 }), (nodes, zones) => {
            const perZone = nodesPerZone(nodes, zones);
            return perZone.reduce((a, b) => a + b, 0) === nodes && perZone.length === Math.min(nodes, zones) &&
                Math.max(...perZone) - Math.min(...perZone) <= 1 && perZone.every((n) => n >= 1);
        }));
    });

    it("gives Elasticsearch its server but the node's own share, requests equal to limits, heap half the container", () => {
        const resources = searchPodResources(R6I_LARGE);
        assert.deepStrictEqual(resources.requests, resources.limits);
        // r6i.large: 2000m less 70m kube-reserved, 180m of DaemonSets and 100m headroom; 16384 MiB less 1229 MiB
        // the kernel keeps (7.5 %), 574 MiB kube-reserved (29 pod slots), 100 MiB eviction, 104 MiB of DaemonSets
        // and 256 MiB headroom.
        assert.deepStrictEqual(resources.limits, { cpu: "1650m", memory: "14121Mi" });
        const env = nodeSetOf(elasticsearchResource(args())).podTemplate.spec.containers[0].env as Obj[];
        assert.strictEqual(env.find((e) => e.name === "ES_JAVA_OPTS")!.value, "-Xms7060m -Xmx7060m");
    });

    it("caps the heap where compressed object pointers end, and refuses a node too small for a heap", () => {
        assert.strictEqual(heapMiB(parseInt(searchPodResources(nodeModel("r6i.16xlarge")!).limits.memory, 10)), MAX_HEAP_MIB);
        assert.strictEqual(MAX_HEAP_MIB, 31 * 1024);
        assert.throws(() => searchPodResources(nodeModel("t3.small")!), /leaves Elasticsearch .* MiB; it needs 2048/);
    });
});

describe("the Elasticsearch resource", () => {
    const es = elasticsearchResource(args()) as { metadata: Obj; spec: Obj };
    const nodeSet = nodeSetOf(es);
    const pod = nodeSet.podTemplate.spec as Obj;

    it("is the cluster the API connection names: its service, superuser secret and CA secret follow from its name", () => {
        assert.strictEqual(es.metadata.name, SEARCH_CLUSTER_NAME);
        const connection = eckSearchConnection(3);
        assert.strictEqual(connection.hosts, `${es.metadata.name}-es-http:9200`);
        assert.deepStrictEqual(eckSuperuser().password, { name: `${es.metadata.name}-es-elastic-user`, key: "elastic" });
        assert.deepStrictEqual([connection.username, connection.password], ["tracardi", { name: "tracardi-search-user", key: "password" }]);
        assert.deepStrictEqual(connection.ca, { name: `${es.metadata.name}-es-http-certs-public`, key: "ca.crt" });
        assert.strictEqual(es.spec.version, "8.11.3");
        assert.strictEqual(es.spec.http.tls, undefined, "HTTP TLS must stay ECK's default (on)");
        assert.deepStrictEqual(es.spec.http, { service: { spec: { type: "ClusterIP" } } });
    });

    it("runs the given number of master-eligible data nodes, one per search server", () => {
        assert.strictEqual(nodeSet.count, 3);
        assert.deepStrictEqual(nodeSet.config["node.roles"], ["master", "data", "ingest"]);
        assert.deepStrictEqual(pod.nodeSelector, { "tracardi.io/tier": "search" });
        assert.deepStrictEqual(pod.tolerations, [{ key: "tracardi.io/tier", operator: "Equal", value: "search", effect: "NoSchedule" }]);
        assert.deepStrictEqual(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution,
            [{ labelSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi" } }, topologyKey: "kubernetes.io/hostname" }]);
        assert.strictEqual(nodeSetOf(elasticsearchResource(args({ nodes: 5 }))).count, 5);
    });

    it("is zone-aware: pods spread over zones, each learns its zone, and shard copies go to different zones", () => {
        assert.strictEqual((es.metadata.annotations as Obj)["eck.k8s.elastic.co/downward-node-labels"], "topology.kubernetes.io/zone");
        const zone = (pod.containers[0].env as Obj[]).find((e) => e.name === "ZONE");
        assert.deepStrictEqual(zone!.valueFrom, { fieldRef: { fieldPath: "metadata.annotations['topology.kubernetes.io/zone']" } });
        assert.strictEqual(nodeSet.config["node.attr.zone"], "${ZONE}");
        assert.deepStrictEqual(nodeSet.config["cluster.routing.allocation.awareness.attributes"].split(",").sort(), ["k8s_node_name", "zone"]);
        assert.deepStrictEqual(pod.topologySpreadConstraints, [{
            maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi", "elasticsearch.k8s.elastic.co/statefulset-name": "tracardi-es-default" } },
        }]);
    });

    it("keeps its volumes: encrypted storage class, claims kept when the cluster goes, one node down at a time", () => {
        assert.strictEqual(es.spec.volumeClaimDeletePolicy, "DeleteOnScaledownOnly");
        const [claim] = nodeSet.volumeClaimTemplates;
        assert.strictEqual(claim.metadata.name, "elasticsearch-data");
        assert.deepStrictEqual(claim.spec, { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } }, storageClassName: SEARCH_STORAGE_CLASS });
        new PersistentVolumeClaimSpec(claim.spec).validate();
        // Unset, not `{}` (which disables it): ECK's budget allows one node down, and only while the cluster is green.
        assert.ok(!("podDisruptionBudget" in es.spec));
        assert.deepStrictEqual(es.spec.updateStrategy, { changeBudget: { maxUnavailable: 1 } });
    });

    it("authenticates snapshots with keystore credentials that never expire, through the regional endpoint", () => {
        // 8.11 does not re-read a rotated service-account token: nothing of web identity may remain.
        const text = JSON.stringify(es);
        for (const gone of ["AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "serviceAccountToken", "serviceAccountName"]) {
            assert.ok(!text.includes(gone), `${gone} is still in the Elasticsearch resource`);
        }
        assert.deepStrictEqual(es.spec.secureSettings, [{ secretName: "tracardi-search-s3-akiaexample" }]);
        assert.strictEqual(snapshotCredentialsSecret("AKIAIOSFODNN7EXAMPLE"), "tracardi-search-s3-akiaiosfodnn7example", "a Secret per access key");
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.strictEqual(nodeSet.config["s3.client.default.endpoint"], "s3.eu-west-1.amazonaws.com");
    });

    it("turns the cluster's health report yellow after the first failed snapshot", () => {
        assert.strictEqual(nodeSet.config["slm.health.failed_snapshot_warn_threshold"], 1);
    });

    it("has a pod template that is a valid Kubernetes pod spec (but for the container ECK fills in)", () => {
        new PodSpec({ ...pod, containers: [{ ...pod.containers[0], image: "docker.elastic.co/elasticsearch/elasticsearch:8.11.3" }] }).validate();
    });
});

describe("search storage, network policy and snapshots as Kubernetes objects", () => {
    it("the storage class: encrypted gp3 in the pod's zone, kept, growable, tagged with the stack", () => {
        const storageClass = searchStorageClass({ "tracardi:stack": "prod", customer: "example" });
        new StorageClass({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", ...storageClass }).validate();
        assert.strictEqual(storageClass.provisioner, "ebs.csi.aws.com");
        assert.deepStrictEqual(storageClass.parameters, {
            type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4",
            tagSpecification_1: "tracardi:stack=prod", tagSpecification_2: "customer=example",
        });
        assert.deepStrictEqual([storageClass.reclaimPolicy, storageClass.volumeBindingMode, storageClass.allowVolumeExpansion],
            ["Retain", "WaitForFirstConsumer", true]);
    });

    it("the network policy: port 9200 from the named Tracardi components and the operator only, 9300 between search nodes", () => {
        const policy = searchNetworkPolicy("tracardi-prod", ["public-api", "internal-api", "apm"]);
        new NetworkPolicy({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", ...policy }).validate();
        const [http, transport] = policy.spec.ingress as Obj[];
        assert.deepStrictEqual(policy.spec.podSelector, { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi" } });
        assert.deepStrictEqual(policy.spec.policyTypes, ["Ingress"]);
        assert.deepStrictEqual(http.ports, [{ protocol: "TCP", port: 9200 }]);
        assert.deepStrictEqual(http.from, [
            {
                podSelector: {
                    matchLabels: { "app.kubernetes.io/part-of": "tracardi" },
                    matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["apm", "internal-api", "public-api"] }],
                },
            },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "elastic-system" } } },
        ]);
        assert.deepStrictEqual(transport, { from: [{ podSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "tracardi" } } }], ports: [{ protocol: "TCP", port: 9300 }] });
    });

    it("daily snapshots of every index and the cluster state, kept 30 days, into the stack's bucket", () => {
        assert.deepStrictEqual(snapshotRepository("snap-bucket"), { type: "s3", settings: { bucket: "snap-bucket", base_path: "tracardi" } });
        assert.deepStrictEqual(snapshotPolicy(DAILY_SNAPSHOTS), {
            schedule: "0 30 1 * * ?", name: "<daily-{now/d}>", repository: "tracardi-s3",
            config: { indices: ["*"], include_global_state: true },
            retention: { expire_after: "30d", min_count: 7, max_count: 60 },
        });
    });

    it("the job registers them as the elastic user over TLS verified with the cluster's CA, unprivileged, and is renamed when they change", () => {
        const build = (retentionDays: number) => snapshotJob({
            namespace: "tracardi-prod", repository: snapshotRepository("snap-bucket"), policy: snapshotPolicy({ ...DAILY_SNAPSHOTS, retentionDays }),
        });
        const job = build(30);
        new Job({ apiVersion: "batch/v1", kind: "Job", ...job }).validate();
        const pod = (job.spec as Obj).template.spec as Obj;
        const env = Object.fromEntries((pod.containers[0].env as Obj[]).map((e) => [e.name, e.value ?? e.valueFrom]));
        const connection = eckSearchConnection(3);
        assert.strictEqual(env.ES_URL, "https://tracardi-es-http:9200");
        assert.strictEqual(env.ES_USERNAME, "elastic");
        assert.strictEqual(env.ES_PASSWORD_FILE, "/run/secrets/tracardi-es-elastic-user/elastic");
        assert.ok(!(pod.containers[0].env as Obj[]).some((e) => e.valueFrom), "a password reaches the job through its environment");
        assert.strictEqual(env.ROLE_BODY, undefined, "the snapshot job sets up users too: Tracardi's start would hang on S3");
        assert.strictEqual(env.ES_CA_FILE, "/etc/elastic-ca/ca.crt");
        assert.deepStrictEqual(pod.volumes[0].secret, { secretName: connection.ca!.name, items: [{ key: "ca.crt", path: "ca.crt" }] });
        assert.deepStrictEqual(pod.volumes.slice(1).map((v: Obj) => v.secret.secretName), ["tracardi-es-elastic-user"]);
        assert.deepStrictEqual(JSON.parse(env.REPOSITORY_BODY), snapshotRepository("snap-bucket"));
        assert.strictEqual(JSON.parse(env.POLICY_BODY).retention.expire_after, "30d");
        assert.deepStrictEqual(pod.containers[0].command, ["python3", "-c", SNAPSHOT_SCRIPT]);
        assert.strictEqual(pod.securityContext.runAsNonRoot, true);
        assert.strictEqual(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
        assert.strictEqual((job.metadata.labels as Obj)["app.kubernetes.io/component"], "search-snapshots");
        assert.strictEqual(build(30).metadata.name, job.metadata.name);
        assert.notStrictEqual(build(14).metadata.name, job.metadata.name);
    });

    it("the role covers every index Tracardi names, and nothing of the cluster but monitoring and templates", () => {
        assert.deepStrictEqual(TRACARDI_SEARCH_ROLE.cluster, ["monitor", "manage_index_templates"]);
        const names = TRACARDI_SEARCH_ROLE.indices[0].names.map((p) => new RegExp(`^${p.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`));
        for (const index of ["prod-09x.fa73a.tracardi-event-2024-q1", "09x.fa73a.tracardi-profile", "static-09x.fa73a.tracardi-flow",
            "tracardi-license", "entity-orders"]) {
            assert.ok(names.some((re) => re.test(index)), `${index} is outside the role`);
        }
        for (const index of [".security-7", "logs-nginx", "other-app"]) {
            assert.ok(!names.some((re) => re.test(index)), `${index} is inside the role`);
        }
    });

    it("a job of its own creates Tracardi's role and user, with both passwords as files", () => {
        const job = searchUserJob("tracardi-prod");
        new Job({ apiVersion: "batch/v1", kind: "Job", ...job }).validate();
        const pod = (job.spec as Obj).template.spec as Obj;
        const env = Object.fromEntries((pod.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
        assert.deepStrictEqual([env.ROLE, JSON.parse(env.ROLE_BODY), env.TRACARDI_USERNAME], ["tracardi", TRACARDI_SEARCH_ROLE, "tracardi"]);
        assert.deepStrictEqual([env.ES_PASSWORD_FILE, env.TRACARDI_PASSWORD_FILE],
            ["/run/secrets/tracardi-es-elastic-user/elastic", "/run/secrets/tracardi-search-user/password"]);
        assert.strictEqual(env.REPOSITORY, undefined);
        assert.strictEqual((job.metadata.labels as Obj)["app.kubernetes.io/component"], "search-user");
    });

    it("the snapshot identity reaches its bucket and key only; the bucket refuses plain HTTP", () => {
        const bucket = "arn:aws:s3:::snap-bucket";
        const key = "arn:aws:kms:eu-west-1:123456789012:key/k";
        const statements = JSON.parse(snapshotAccessPolicy(bucket, key, "vpce-123")).Statement as Obj[];
        assert.deepStrictEqual(statements.map((s) => s.Resource), [bucket, `${bucket}/*`, key]);
        assert.deepStrictEqual(statements.map((s) => s.Condition), [
            { StringEquals: { "aws:SourceVpce": "vpce-123" } }, { StringEquals: { "aws:SourceVpce": "vpce-123" } },
            { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
        ], "the key pair works outside the VPC's S3 endpoint");
        assert.ok(statements.every((s) => s.Effect === "Allow" && s.Action.every((a: string) => !a.endsWith("*"))));
        const [deny] = JSON.parse(snapshotBucketPolicy(bucket)).Statement;
        assert.deepStrictEqual([deny.Effect, deny.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
    });
});

/** A stand-in for Elasticsearch that is still forming for the first health checks. */
async function runRegistration(answers: { healthFailures: number; putStatus?: number; failing?: string }): Promise<{ code: number | null; output: string; requests: Obj[] }> {
    const requests: Obj[] = [];
    let failures = answers.healthFailures;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body: body ? JSON.parse(body) : undefined });
            if (req.url!.startsWith("/_cluster/health")) {
                const forming = failures-- > 0;
                res.writeHead(forming ? 503 : 200).end(JSON.stringify(forming ? { error: "master_not_discovered_exception" } : { status: "yellow" }));
            } else {
                const fails = answers.putStatus !== undefined && req.url!.startsWith(answers.failing ?? "/");
                res.writeHead(fails ? answers.putStatus! : 200).end(JSON.stringify(fails ? { error: "repository_verification_exception" } : { acknowledged: true }));
            }
        });
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "search-secrets-"));
    fs.writeFileSync(path.join(dir, "elastic"), "pw");
    fs.writeFileSync(path.join(dir, "password"), "tracardi-pw");
    try {
        const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
            const child = spawn("python3", ["-c", SNAPSHOT_SCRIPT], {
                env: {
                    PATH: process.env.PATH, ES_URL: `http://127.0.0.1:${port}`, ES_USERNAME: "elastic", ES_PASSWORD_FILE: path.join(dir, "elastic"),
                    TRACARDI_PASSWORD_FILE: path.join(dir, "password"), WAIT_SECONDS: "0.05",
                    ROLE: "tracardi", ROLE_BODY: JSON.stringify(TRACARDI_SEARCH_ROLE), TRACARDI_USERNAME: "tracardi",
                    REPOSITORY: "tracardi-s3", REPOSITORY_BODY: JSON.stringify(snapshotRepository("snap-bucket")),
                    POLICY: "tracardi-daily", POLICY_BODY: JSON.stringify(snapshotPolicy(DAILY_SNAPSHOTS)),
                },
            });
            let text = "";
            child.stdout.on("data", (d) => (text += d));
            child.stderr.on("data", (d) => (text += d));
            child.on("close", (exit) => done({ code: exit, output: text }));
        });
        return { code, output, requests };
    } finally {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("search setup script", () => {
    it("waits for the cluster, then sets up Tracardi's role and user, the repository and the policy as the elastic user", async () => {
        const { code, output, requests } = await runRegistration({ healthFailures: 2 });
        assert.strictEqual(code, 0, output);
        const writes = requests.filter((r) => r.method === "PUT");
        assert.deepStrictEqual(writes.map((r) => [r.url, r.body]), [
            ["/_security/role/tracardi", TRACARDI_SEARCH_ROLE],
            ["/_security/user/tracardi", { password: "tracardi-pw", roles: ["tracardi"] }],
            ["/_snapshot/tracardi-s3", snapshotRepository("snap-bucket")],
            ["/_slm/policy/tracardi-daily", snapshotPolicy(DAILY_SNAPSHOTS)],
        ]);
        assert.strictEqual(requests.filter((r) => r.url.startsWith("/_cluster/health")).length, 3);
        assert.ok(requests.every((r) => r.authorization === `Basic ${Buffer.from("elastic:pw").toString("base64")}`));
        assert.ok(!output.includes("tracardi-pw"), "the job's log shows Tracardi's password");
    });

    it("fails the job with Elasticsearch's answer when the repository cannot be verified", async () => {
        const { code, output, requests } = await runRegistration({ healthFailures: 0, putStatus: 500, failing: "/_snapshot" });
        assert.notStrictEqual(code, 0);
        assert.match(output, /PUT \/_snapshot\/tracardi-s3 failed with HTTP 500: .*repository_verification_exception/);
        assert.ok(!requests.some((r) => r.url.startsWith("/_slm")), "the policy was registered without a repository");
    });
});

describe("a search server's readiness (provider ec2)", () => {
    /**
     * Runs the script's node part against a cluster the node joins on the third look and that is
     * green after `yellowLooks` health answers, with an `aws` command that records its calls.
     */
    async function runReadiness(state: string, yellowLooks = 0): Promise<{ code: number | null; output: string; calls: string[]; yml: string }> {
        let looks = 0;
        let health = 0;
        const server = http.createServer((req, res) => {
            const nodes = req.url!.startsWith("/_cat/nodes");
            const joined = nodes && ++looks > 2;
            // The one-shot's own wait for a forming cluster asks with wait_for_status, the launch without.
            const status = !nodes && (req.url!.includes("wait_for_status") || ++health > yellowLooks) ? "green" : "yellow";
            res.writeHead(200).end(JSON.stringify(nodes ? (joined ? [{ name: "search-0" }] : [{ name: "search-1" }]) : { status }));
        });
        await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "search-ready-"));
        fs.writeFileSync(path.join(dir, "elastic"), "pw");
        fs.writeFileSync(path.join(dir, "elasticsearch.yml"), 'node.name: search-0\ncluster.initial_master_nodes: ["search-0"]\nhttp.port: 9200\n');
        fs.writeFileSync(path.join(dir, "aws"), `#!/bin/bash\necho "$*" >> ${dir}/calls\n[[ $2 == describe-auto-scaling-instances ]] && printf 'tracardi-search-0-asg\\t${state}\\n'\nexit 0\n`, { mode: 0o755 });
        try {
            const { port } = server.address() as AddressInfo;
            const result = await new Promise<{ code: number | null; output: string }>((done) => {
                const child = spawn("python3", ["-c", SNAPSHOT_SCRIPT], {
                    env: {
                        PATH: process.env.PATH, AWS_CLI: path.join(dir, "aws"), ES_URL: `http://127.0.0.1:${port}`, ES_USERNAME: "elastic",
                        ES_PASSWORD_FILE: path.join(dir, "elastic"), WAIT_SECONDS: "0.05", HEARTBEAT_SECONDS: "0.02",
                        NODE_NAME: "search-0", LIFECYCLE_HOOK: "tracardi-search-joined", INSTANCE_ID: "i-0abc", AWS_REGION: "eu-west-1",
                        FIRST_MASTERS_FILE: path.join(dir, "elasticsearch.yml"),
                    },
                });
                let text = "";
                child.stdout.on("data", (d) => (text += d));
                child.stderr.on("data", (d) => (text += d));
                child.on("close", (exit) => done({ code: exit, output: text }));
            });
            const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [];
            return { ...result, calls, yml: fs.readFileSync(path.join(dir, "elasticsearch.yml"), "utf8") };
        } finally {
            server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    const describeCall = "autoscaling describe-auto-scaling-instances --instance-ids i-0abc --query AutoScalingInstances[0].[AutoScalingGroupName,LifecycleState] --output text --region eu-west-1";
    const hookArgs = "--auto-scaling-group-name tracardi-search-0-asg --lifecycle-hook-name tracardi-search-joined --instance-id i-0abc";

    it("completes its group's launch hook once the node has joined a green cluster, and stops naming the first masters", async () => {
        const { code, output, calls, yml } = await runReadiness("Pending:Wait");
        assert.strictEqual(code, 0, output);
        assert.match(output, /waiting for search-0 to join the cluster \(2\): not a member yet/);
        assert.deepStrictEqual(calls, [describeCall, `autoscaling complete-lifecycle-action ${hookArgs} --lifecycle-action-result CONTINUE --region eu-west-1`]);
        assert.strictEqual(yml, "node.name: search-0\nhttp.port: 9200\n");
    });

    it("keeps the launch pending with heartbeats while shards recover", async () => {
        const { code, output, calls } = await runReadiness("Pending:Wait", 6);
        assert.strictEqual(code, 0, output);
        const heartbeats = calls.filter((c) => c.startsWith("autoscaling record-lifecycle-action-heartbeat"));
        assert.ok(heartbeats.length >= 2, `${heartbeats.length} heartbeats while the cluster recovered`);
        assert.ok(heartbeats.every((c) => c === `autoscaling record-lifecycle-action-heartbeat ${hookArgs} --region eu-west-1`));
        assert.match(calls[calls.length - 1], /complete-lifecycle-action .* CONTINUE/);
        assert.match(output, /waiting for a green cluster \(1\): status yellow/);
    });

    it("after a reboot there is no launch to complete, and the unit still succeeds", async () => {
        const { code, output, calls } = await runReadiness("InService");
        assert.strictEqual(code, 0, output);
        assert.match(output, /no launch to complete \(i-0abc is InService\)/);
        assert.deepStrictEqual(calls, [describeCall]);
    });
});

describe("search connections", () => {
    it("ECK: replicas once there are two nodes, Tracardi's three shards", () => {
        assert.deepStrictEqual([eckSearchConnection(1).replicas, eckSearchConnection(3).replicas], [0, 1]);
        assert.strictEqual(eckSearchConnection(3).shards, 3);
    });

    it("external hosts: host:port list over verified https, the password and CA from the stack's Secret", () => {
        const connection = externalSearchConnection({ hosts: ["https://ES-1.example.com:9243/", "https://10.0.0.5:9200"], username: "tracardi", nodes: 3 }, true);
        const env = dataEnv({ search: connection, redis: { host: "r", port: 6379 } });
        const byName = Object.fromEntries(env.map((e) => [e.name, "value" in e ? e.value : e.secret]));
        assert.strictEqual(byName.ELASTIC_HOST, "es-1.example.com:9243,10.0.0.5:9200");
        assert.strictEqual(byName.ELASTIC_SCHEME, "https");
        assert.strictEqual(byName.ELASTIC_VERIFY_CERTS, "yes");
        assert.strictEqual(byName.ELASTIC_HTTP_AUTH_USERNAME, "tracardi");
        assert.deepStrictEqual(byName.ELASTIC_HTTP_AUTH_PASSWORD, { name: EXTERNAL_SEARCH_SECRET.name, key: "password" });
        assert.strictEqual(byName.ELASTIC_CA_FILE, "/etc/tracardi/elastic-ca/ca.crt");
        assert.deepStrictEqual(connection.ca, { name: EXTERNAL_SEARCH_SECRET.name, key: "ca.crt" });
        assert.strictEqual(externalSearchConnection({ hosts: ["https://a.example.com:443"], username: "u", nodes: 1 }, false).ca, undefined);
    });

    it("external Elastic Cloud: the cloud id with the deployment's host on :443, certificates still verified", () => {
        const cloudId = `shop:${Buffer.from("eu-west-1.aws.found.io$abc$def").toString("base64")}`;
        const env = dataEnv({ search: externalSearchConnection({ cloudId, username: "tracardi", nodes: 3 }, false), redis: { host: "r", port: 6379 } });
        const names = env.map((e) => e.name);
        assert.ok(names.includes("ELASTIC_CLOUD_ID") && !names.includes("ELASTIC_CA_FILE"));
        assert.deepStrictEqual(env.find((e) => e.name === "ELASTIC_HOST"), { name: "ELASTIC_HOST", value: "abc.eu-west-1.aws.found.io:443" });
        assert.deepStrictEqual(env.find((e) => e.name === "ELASTIC_VERIFY_CERTS"), { name: "ELASTIC_VERIFY_CERTS", value: "yes" });
    });

    it("an external endpoint is an https URL of a host and a port, without credentials", () => {
        assert.strictEqual(endpointProblem("https://search.example.com:9243"), undefined);
        assert.match(endpointProblem("http://search.example.com:9200")!, /plain http/);
        assert.match(endpointProblem("https://elastic:secret@search.example.com:9243")!, /carries credentials/);
        assert.match(endpointProblem("https://search.example.com")!, /host and a port/);
        assert.match(endpointProblem("https://search.example.com:9243/path")!, /host and a port/);
        assert.match(endpointProblem("https://search.example.com:70000")!, /outside 1 to 65535/);
        assert.ok(isElasticCloudId(`shop:${Buffer.from("host$es$kb").toString("base64")}`));
        assert.ok(!isElasticCloudId("shop:not-base64!") && !isElasticCloudId(`shop:${Buffer.from("nodollar").toString("base64")}`));
    });
});

describe("stack configuration: elasticsearch.provider", () => {
    /** Pulumi.external.yaml with its tracardi:elasticsearch object replaced, and secrets added or removed. */
    function external(elasticsearch: Obj, secrets: Record<string, string | undefined> = {}) {
        const config = readStackFile("Pulumi.external.yaml");
        config.values["tracardi:elasticsearch"] = JSON.stringify(elasticsearch);
        for (const [key, value] of Object.entries(secrets)) {
            const full = `tracardi:${key}`;
            if (value === undefined) {
                delete config.values[full];
            } else {
                config.values[full] = value;
                config.secretKeys.push(full);
            }
        }
        return config;
    }
    const problems = (config: ReturnType<typeof external>): ConfigProblem[] => {
        try {
            parseStackConfig(config);
            return [];
        } catch (err) {
            assert.ok(err instanceof ConfigError);
            return err.problems;
        }
    };
    const base = { provider: "external", hosts: ["https://es.example.com:9200"], username: "tracardi", nodes: 3, version: "8.11.3" };
    const keys = (found: ConfigProblem[]) => found.map((p) => `${p.key}: ${p.reason}`);

    it("accepts the example external stack, hosts or a cloud id, and an even node count there", () => {
        assert.deepStrictEqual(problems(readStackFile("Pulumi.external.yaml")), []);
        const cloudId = `shop:${Buffer.from("eu-west-1.aws.found.io$abc$def").toString("base64")}`;
        assert.deepStrictEqual(problems(external({ ...base, hosts: undefined, cloudId, nodes: 2 })), []);
        assert.deepStrictEqual(problems(external({ ...base, version: "7.17.0" })), []);
    });

    it("external needs hosts or a cloud id (not both), a user, and the password as a secret", () => {
        assert.deepStrictEqual(keys(problems(external({ ...base, hosts: undefined, username: undefined }, { elasticsearchPassword: undefined }))), [
            "elasticsearchPassword: is required with elasticsearch.provider external",
            "elasticsearch.hosts: is required with elasticsearch.provider external, unless elasticsearch.cloudId is given",
            "elasticsearch.username: is required with elasticsearch.provider external",
        ]);
        const cloudId = `shop:${Buffer.from("h$e$k").toString("base64")}`;
        assert.deepStrictEqual(keys(problems(external({ ...base, cloudId }))),
            ["elasticsearch.cloudId: cannot be combined with elasticsearch.hosts: Tracardi would connect to the cloud id only"]);
    });

    it("refuses endpoints that are not https URLs with a port, naming the entry and what is allowed", () => {
        const [problem] = problems(external({ ...base, hosts: ["https://es.example.com:9200", "http://es2.example.com:9200"] }));
        assert.deepStrictEqual([problem.key, problem.given], ["elasticsearch.hosts.1", "http://es2.example.com:9200"]);
        assert.match(problem.reason, /plain http/);
        assert.match(problem.allowed!, /https URL with a port, such as https:\/\/search\.example\.com:9243/);
        assert.match(problems(external({ ...base, cloudId: "nope", hosts: undefined }))[0].reason, /not an Elastic Cloud ID/);
    });

    it("eck refuses the external keys and secrets, versions before 8.4 and servers too small for a heap", () => {
        const found = problems(external({ ...base, provider: "eck", nodes: 3, version: "7.17.0", instanceType: "t3.small", volumeGiB: 50 }));
        assert.deepStrictEqual(keys(found).sort(), [
            "elasticsearch.hosts: is only read with elasticsearch.provider external: the API reaches the ECK cluster through its own service",
            "elasticsearch.instanceType: is too small for an Elasticsearch node: it leaves pods 1086 MiB",
            "elasticsearch.username: is only read with elasticsearch.provider external: the API reaches the ECK cluster through its own service",
            "elasticsearch.version: is older than 8.4: ECK 3.5 runs Elasticsearch 8 and later, and the alarm on failed snapshots (slm.health.failed_snapshot_warn_threshold) needs 8.4",
            "elasticsearchCa: is only read with elasticsearch.provider external",
            "elasticsearchPassword: is only read with elasticsearch.provider external",
        ]);
        assert.ok(found.filter((p) => p.key.startsWith("elasticsearch")).every((p) => p.allowed), "a problem without what is allowed");
        assert.ok(!JSON.stringify(found).includes("offline-placeholder"), "a secret value was echoed");
    });

    it("the external secrets are never generated: a plain-text one is refused without the generation hint", () => {
        const config = external(base);
        config.secretKeys = config.secretKeys.filter((k) => k !== "tracardi:elasticsearchPassword");
        const [problem] = problems(config);
        assert.strictEqual(problem.key, "elasticsearchPassword");
        assert.match(problem.reason, /in plain text/);
        assert.doesNotMatch(problem.allowed!, /generated/);
    });
});
