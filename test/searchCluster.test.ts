import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { EckSearchCluster, EckSearchClusterArgs } from "../components/searchCluster";
import { ECK_OPERATOR } from "../lib/elasticsearch";
import { eckSearchConnection, EXTERNAL_SEARCH_SECRET } from "../lib/search";
import type { StackPlan } from "../offline/harness";
import { recordResources } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { ofType, owningComponent } from "../offline/query";
import { renderPlan } from "../offline/report";
import { validateKubernetesObject } from "./helpers/k8s";
import { planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ES = "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch";
const inputs = (r: RecordedResource) => r.inputs as Obj;
const one = (resources: RecordedResource[], type: string) => {
    const found = ofType(resources, type);
    assert.strictEqual(found.length, 1, `${found.length} resources of type ${type}`);
    return found[0];
};
const envOf = (container: Obj) => Object.fromEntries(((container.env ?? []) as Obj[]).map((e) => [e.name, e.value ?? e.valueFrom]));

function clusterArgs(provider: k8s.Provider, changes: Partial<EckSearchClusterArgs> = {}): EckSearchClusterArgs {
    return {
        provider,
        namespace: "tracardi-test",
        clusterName: "tracardi-test",
        kubernetesVersion: "1.34",
        nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
        clusterSecurityGroupId: "sg-cluster",
        vpcId: "vpc-test",
        subnetIds: ["subnet-data-a", "subnet-data-b", "subnet-data-c"],
        s3EndpointId: "vpce-s3",
        version: "8.11.3",
        nodes: 3,
        instanceType: "r6i.large",
        volumeGiB: 100,
        clients: ["public-api", "internal-api", "update-worker", "apm"],
        dependsOn: [],
        tags: { "tracardi:stack": "test" },
        ...changes,
    };
}

async function build(changes: Partial<EckSearchClusterArgs> = {}) {
    const { resources } = await recordResources(() => {
        const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
        return new EckSearchCluster("search", clusterArgs(provider, changes));
    });
    return resources;
}

describe("EckSearchCluster", () => {
    let resources: RecordedResource[];
    before(async () => {
        resources = await build();
    });
    /** The bucket's ARN as the bucket policy names it (AWS computes it). */
    const bucketArn = () => JSON.parse(inputs(one(resources, "aws:s3/bucketPolicy:BucketPolicy")).policy).Statement[0].Resource[0] as string;

    it("hangs every resource under the component and creates Kubernetes objects through the given provider", () => {
        const root = resources.find((r) => r.type === "tracardi:search:EckCluster")!;
        const [provider] = ofType(resources, "pulumi:providers:kubernetes");
        for (const r of resources.filter((x) => x !== root && x.type !== "pulumi:providers:kubernetes")) {
            let owner = owningComponent(resources, r);
            if (owner?.type === "tracardi:eks:NodeGroup") {
                owner = owningComponent(resources, owner);
            }
            assert.strictEqual(owner?.urn, root.urn, `${r.name} is outside the search component`);
            if (r.type.startsWith("kubernetes:")) {
                assert.ok(r.provider.startsWith(`${provider.urn}::`), `${r.name} does not use the cluster's provider`);
            }
        }
    });

    it("runs one search node group per zone in the data subnets, reserved for search by a taint", () => {
        const groups = ofType(resources, "aws:eks/nodeGroup:NodeGroup").map(inputs);
        assert.deepStrictEqual(groups.map((g) => g.subnetIds), [["subnet-data-a"], ["subnet-data-b"], ["subnet-data-c"]]);
        for (const group of groups) {
            assert.strictEqual(group.scalingConfig.desiredSize, 1);
            assert.deepStrictEqual(group.instanceTypes, ["r6i.large"]);
            assert.deepStrictEqual(group.labels, { "tracardi.io/tier": "search" });
            assert.deepStrictEqual(group.taints, [{ key: "tracardi.io/tier", value: "search", effect: "NO_SCHEDULE" }]);
        }
    });

    it("installs the pinned ECK operator with its CRDs into elastic-system from Elastic's Helm repository", () => {
        const release = inputs(one(resources, "kubernetes:helm.sh/v3:Release"));
        assert.deepStrictEqual([release.chart, release.version, release.repositoryOpts.repo, release.namespace, release.createNamespace],
            ["eck-operator", ECK_OPERATOR.version, "https://helm.elastic.co", "elastic-system", true]);
        assert.match(release.version, /^\d+\.\d+\.\d+$/);
        assert.strictEqual(release.values.installCRDs, true);
        // The API reads the CA at start-up only: the operator's CA lasts five years, not one.
        assert.strictEqual(release.values.config.caValidity, "43800h");
    });

    it("creates the cluster protected, after the operator, its storage class, snapshot credentials and nodes", () => {
        const es = one(resources, ES);
        assert.strictEqual(es.protect, true);
        const needed = ["kubernetes:helm.sh/v3:Release", "kubernetes:storage.k8s.io/v1:StorageClass", "kubernetes:core/v1:Secret",
            "aws:iam/userPolicy:UserPolicy", "aws:eks/nodeGroup:NodeGroup"].flatMap((type) => ofType(resources, type))
            .filter((r) => !r.name.endsWith("-tracardi-user"));
        assert.strictEqual(needed.length, 7);
        for (const r of needed) {
            assert.ok(es.dependsOn.includes(r.urn), `the cluster does not wait for ${r.name}`);
        }
        assert.strictEqual(inputs(es).metadata.namespace, "tracardi-test");
        assert.strictEqual(inputs(es).spec.nodeSets[0].count, 3);
    });

    it("stores data on an encrypted, retained gp3 class bound to the pod's zone, sized by volumeGiB", () => {
        const storageClass = inputs(one(resources, "kubernetes:storage.k8s.io/v1:StorageClass"));
        assert.deepStrictEqual([storageClass.provisioner, storageClass.parameters.type, storageClass.parameters.encrypted, storageClass.reclaimPolicy,
            storageClass.volumeBindingMode, storageClass.allowVolumeExpansion], ["ebs.csi.aws.com", "gp3", "true", "Retain", "WaitForFirstConsumer", true]);
        const claim = inputs(one(resources, ES)).spec.nodeSets[0].volumeClaimTemplates[0].spec;
        assert.strictEqual(claim.storageClassName, storageClass.metadata.name);
        assert.strictEqual(claim.resources.requests.storage, "100Gi");
    });

    it("keeps snapshots in a protected, KMS-encrypted, versioned, private bucket that refuses plain HTTP", () => {
        const bucket = one(resources, "aws:s3/bucket:Bucket");
        const key = one(resources, "aws:kms/key:Key");
        assert.ok(bucket.protect && key.protect, "the bucket and its key must be protected");
        const byBucket = (type: string) => inputs(one(resources, type));
        assert.strictEqual(inputs(key).enableKeyRotation, true);
        const rule = byBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules[0];
        assert.strictEqual(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.match(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, /^arn:aws:kms:/);
        assert.strictEqual(byBucket("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration.status, "Enabled");
        const block = byBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.ok([block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets].every((v) => v === true));
        const lifecycle = byBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules[0];
        assert.deepStrictEqual(lifecycle.noncurrentVersionExpiration, { noncurrentDays: 30 });
        assert.strictEqual(lifecycle.expiration, undefined, "current snapshot files must never expire behind Elasticsearch's back");
        const policy = JSON.parse(byBucket("aws:s3/bucketPolicy:BucketPolicy").policy);
        assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
    });

    it("writes snapshots as a user limited to that bucket, whose key pair reaches the nodes' keystore as a secret", () => {
        one(resources, "aws:iam/user:User");
        const grants = JSON.parse(inputs(one(resources, "aws:iam/userPolicy:UserPolicy")).policy).Statement as Obj[];
        assert.deepStrictEqual(grants.map((g) => g.Resource).slice(0, 2), [bucketArn(), `${bucketArn()}/*`]);
        const key = one(resources, "aws:iam/accessKey:AccessKey");
        assert.match(inputs(key).user, /^search-snapshots/);
        assert.strictEqual(inputs(one(resources, "aws:iam/userPolicy:UserPolicy")).user, inputs(key).user);
        const secret = ofType(resources, "kubernetes:core/v1:Secret").find((s) => inputs(s).metadata.name.startsWith("tracardi-search-s3-"))!;
        assert.deepStrictEqual(Object.keys(inputs(secret).stringData).sort(), ["s3.client.default.access_key", "s3.client.default.secret_key"]);
        assert.ok(secret.secretInputs.includes("stringData"), "the key pair is not a Pulumi secret");
        assert.deepStrictEqual(inputs(one(resources, ES)).spec.secureSettings, [{ secretName: inputs(secret).metadata.name }]);
        assert.strictEqual(ofType(resources, "aws:iam/role:Role").length, 0, "no web-identity role: 8.11 does not re-read its token");
    });

    it("registers the repository and the daily policy with a job that waits for the cluster, the bucket's encryption and policy", () => {
        const job = ofType(resources, "kubernetes:batch/v1:Job").find((j) => inputs(j).metadata.name.startsWith("search-snapshots-"))!;
        for (const type of [ES, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketPolicy:BucketPolicy"]) {
            assert.ok(job.dependsOn.includes(one(resources, type).urn), `the job does not wait for ${type}`);
        }
        const env = envOf(inputs(job).spec.template.spec.containers[0]);
        assert.strictEqual(`arn:aws:s3:::${JSON.parse(env.REPOSITORY_BODY).settings.bucket}`, bucketArn());
        assert.strictEqual(JSON.parse(env.POLICY_BODY).schedule, "0 30 1 * * ?");
    });

    it("admits the API tiers, workers, the set-up jobs and the operator on 9200, nothing else", () => {
        const policy = inputs(one(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy"));
        assert.strictEqual(policy.metadata.namespace, "tracardi-test");
        assert.deepStrictEqual(policy.spec.ingress[0].from[0].podSelector.matchExpressions[0].values,
            ["apm", "internal-api", "public-api", "search-snapshots", "search-user", "update-worker"]);
    });

    it("core Kubernetes objects validate against the Kubernetes schema", () => {
        const core = resources.filter((r) => r.type.startsWith("kubernetes:") && ![ES, "kubernetes:helm.sh/v3:Release"].includes(r.type));
        assert.deepStrictEqual(core.map((r) => r.type).sort(), ["kubernetes:batch/v1:Job", "kubernetes:batch/v1:Job", "kubernetes:core/v1:Secret", "kubernetes:core/v1:Secret",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:storage.k8s.io/v1:StorageClass"]);
        core.forEach(validateKubernetesObject);
    });

    it("spreads five nodes over three zones as 2, 2, 1, and a single node needs a single zone", async () => {
        const sizes = async (nodes: number) => ofType(await build({ nodes }), "aws:eks/nodeGroup:NodeGroup").map((g) => inputs(g).scalingConfig.desiredSize);
        assert.deepStrictEqual(await sizes(5), [2, 2, 1]);
        assert.deepStrictEqual(await sizes(1), [1]);
    });
});

describe("search in the stacks", () => {
    let prod: StackPlan;
    let small: StackPlan;
    let external: StackPlan;
    before(async () => {
        // One at a time: the mocks record one stack at a time.
        prod = await planOf("Pulumi.prod.yaml");
        small = await planOf("Pulumi.small.yaml");
        external = await planOf("Pulumi.external.yaml");
    });
    const deployments = (plan: StackPlan) => ofType(plan.resources, "kubernetes:apps/v1:Deployment");
    const apiPods = (plan: StackPlan) => deployments(plan).map((d) => inputs(d).spec.template.spec as Obj).filter((p) => envOf(p.containers[0]).ELASTIC_SCHEME);

    it("production: three nodes, one per zone, in the data subnets, in the workloads' namespace", () => {
        const es = inputs(one(prod.resources, ES));
        const namespace = inputs(ofType(prod.resources, "kubernetes:core/v1:Namespace")[0]).metadata.name;
        assert.strictEqual(es.metadata.namespace, namespace);
        assert.strictEqual(es.spec.nodeSets[0].count, 3);
        const dataSubnets = ofType(prod.resources, "aws:ec2/subnet:Subnet").filter((s) => inputs(s).tags["tracardi:subnet-tier"] === "data").map((s) => s.id);
        const search = ofType(prod.resources, "aws:eks/nodeGroup:NodeGroup").filter((g) => inputs(g).labels["tracardi.io/tier"] === "search").map(inputs);
        assert.deepStrictEqual(search.map((g) => g.subnetIds).flat().sort(), [...dataSubnets].sort());
        assert.deepStrictEqual(search.map((g) => g.scalingConfig.desiredSize), [1, 1, 1]);
    });

    it("the API and its workers reach ECK over verified TLS with its CA mounted and the password from its Secret", () => {
        const connection = eckSearchConnection(3);
        const pods = apiPods(prod);
        assert.strictEqual(pods.length, 4, "public-api, internal-api, update-worker, apm");
        for (const pod of pods) {
            const env = envOf(pod.containers[0]);
            assert.strictEqual(env.ELASTIC_HOST, connection.hosts);
            assert.strictEqual(env.ELASTIC_VERIFY_CERTS, "yes");
            assert.strictEqual(env.ELASTIC_INDEX_REPLICAS, "1");
            assert.strictEqual(env.ELASTIC_INDEX_SHARDS, "3");
            assert.deepStrictEqual(env.ELASTIC_HTTP_AUTH_PASSWORD, { secretKeyRef: connection.password });
            const caVolume = (pod.volumes as Obj[]).find((v) => v.name === "elastic-ca");
            assert.strictEqual(caVolume!.secret.secretName, `${inputs(one(prod.resources, ES)).metadata.name}-es-http-certs-public`);
            assert.strictEqual(env.ELASTIC_CA_FILE, `${pod.containers[0].volumeMounts[0].mountPath}/ca.crt`);
        }
    });

    it("the network policy admits exactly the pods that get the search environment, and the snapshot job", () => {
        const clients = deployments(prod).filter((d) => envOf(inputs(d).spec.template.spec.containers[0]).ELASTIC_SCHEME)
            .map((d) => inputs(d).spec.template.metadata.labels["app.kubernetes.io/component"]);
        const policy = inputs(ofType(prod.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => inputs(p).metadata.name === "tracardi-search")!);
        assert.deepStrictEqual(policy.spec.ingress[0].from[0].podSelector.matchExpressions[0].values, [...clients, "search-snapshots", "search-user"].sort());
        assert.strictEqual(inputs(ofType(prod.resources, "kubernetes:batch/v1:Job").find((j) => j.name.endsWith("-snapshots"))!)
            .spec.template.metadata.labels["app.kubernetes.io/component"], "search-snapshots");
    });

    it("minimal: a single node in a single zone, without replicas", () => {
        assert.strictEqual(inputs(one(small.resources, ES)).spec.nodeSets[0].count, 1);
        assert.strictEqual(ofType(small.resources, "aws:eks/nodeGroup:NodeGroup").filter((g) => inputs(g).labels["tracardi.io/tier"] === "search").length, 1);
        assert.ok(apiPods(small).every((p) => envOf(p.containers[0]).ELASTIC_INDEX_REPLICAS === "0"));
    });

    it("external: nothing provisioned for search, the API wired to the given hosts with the password and CA from a Secret", () => {
        assert.deepStrictEqual(external.resources.filter((r) => r.type === ES || r.type.startsWith("kubernetes:helm") ||
            inputs(r).labels?.["tracardi.io/tier"] === "search" || r.type === "aws:s3/bucket:Bucket" && r.name.includes("snapshots")), []);
        const secret = ofType(external.resources, "kubernetes:core/v1:Secret").find((s) => inputs(s).metadata.name === EXTERNAL_SEARCH_SECRET.name)!;
        assert.deepStrictEqual(Object.keys(inputs(secret).stringData).sort(), ["ca.crt", "password"]);
        assert.ok(secret.secretInputs.includes("stringData"));
        assert.strictEqual(owningComponent(external.resources, secret)!.type, "tracardi:search:External");
        for (const pod of apiPods(external)) {
            const env = envOf(pod.containers[0]);
            assert.strictEqual(env.ELASTIC_HOST, external.spec.elasticsearch.hosts!.map((h) => h.replace("https://", "")).join(","));
            assert.strictEqual(env.ELASTIC_HTTP_AUTH_USERNAME, "tracardi");
            assert.deepStrictEqual(env.ELASTIC_HTTP_AUTH_PASSWORD, { secretKeyRef: { name: EXTERNAL_SEARCH_SECRET.name, key: "password" } });
            assert.strictEqual((pod.volumes as Obj[]).find((v) => v.name === "elastic-ca")!.secret.secretName, EXTERNAL_SEARCH_SECRET.name);
        }
        validateKubernetesObject(secret);
    });

    it("the offline plan shows the search cluster, its storage, zone awareness and snapshots", () => {
        const text = renderPlan(prod);
        assert.match(text, /Elasticsearch 8\.11\.3 \(ECK 3 nodes\)\s+100Gi tracardi-search per node\s+zone-aware \(k8s_node_name,zone\), TLS, snapshots "0 30 1 \* \* \?" UTC to S3, kept 30d\s+protected, volumes kept/);
        assert.match(text, /^search\s+r6i\.large\s+1\s+1\s+tier only$/m);
        assert.match(renderPlan(external), /Elasticsearch 8\.11\.3 \(external\)\s+3\s+-\s+https:\/\/es-1\.search\.shop\.example\.net:9200/);
    });
});
