import * as assert from "assert";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { ofType, owningComponent } from "../offline/query";
import { instanceCapacity } from "../lib/instanceTypes";
import { API_WORKER_MIB, NODE_PORT_STATIC_BAND, TIER_LABEL } from "../lib/manifests";

import { planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const component = (r: RecordedResource) => (r.inputs.metadata as Obj)?.labels?.["app.kubernetes.io/component"];
const deployments = (plan: StackPlan) => ofType(plan.resources, "kubernetes:apps/v1:Deployment");
const deploymentOf = (plan: StackPlan, name: string) => deployments(plan).find((d) => component(d) === name)!;
const podSpec = (d: RecordedResource) => (d.inputs.spec as Obj).template.spec as Obj;
const envOf = (d: RecordedResource) => Object.fromEntries((podSpec(d).containers[0].env as Obj[])
    .map((e) => [e.name, e.value ?? e.valueFrom]));
const millis = (cpu: string) => Number(cpu.replace(/m$/, ""));
const mebi = (memory: string) => Number(memory.replace(/Mi$/, ""));

describe("Tracardi workloads on EKS", () => {
    let prod: StackPlan;
    let small: StackPlan;
    before(async () => {
        prod = await planOf("Pulumi.prod.yaml");
        small = await planOf("Pulumi.small.yaml");
    });

    it("production runs a public collector, a GUI-facing API, the GUI and the release's workers", () => {
        assert.deepStrictEqual(deployments(prod).map(component).sort(), ["apm", "gui", "internal-api", "public-api", "update-worker"]);
        assert.strictEqual((deploymentOf(prod, "public-api").inputs.spec as Obj).replicas, 3);
        assert.strictEqual((deploymentOf(prod, "internal-api").inputs.spec as Obj).replicas, 2);
        assert.strictEqual((deploymentOf(prod, "gui").inputs.spec as Obj).replicas, 2);
    });

    it("the two API clusters differ in exactly the flags the production guide asks for", () => {
        const publicEnv = envOf(deploymentOf(prod, "public-api"));
        const internalEnv = envOf(deploymentOf(prod, "internal-api"));
        assert.deepStrictEqual(
            { EXPOSE_GUI_API: publicEnv.EXPOSE_GUI_API, PRODUCTION: publicEnv.PRODUCTION, TRACK_DEBUG: publicEnv.TRACK_DEBUG, API_DOCS: publicEnv.API_DOCS },
            { EXPOSE_GUI_API: "no", PRODUCTION: "yes", TRACK_DEBUG: "no", API_DOCS: "no" });
        assert.strictEqual(internalEnv.EXPOSE_GUI_API, "yes");
        assert.strictEqual(internalEnv.PRODUCTION, "no");
        assert.strictEqual(publicEnv.WEB_CONCURRENCY, String(prod.spec.publicApi.workers));
        assert.strictEqual(internalEnv.WEB_CONCURRENCY, String(prod.spec.internalApi!.workers));
        const differing = Object.keys(publicEnv).filter((k) => JSON.stringify(publicEnv[k]) !== JSON.stringify(internalEnv[k])).sort();
        assert.deepStrictEqual(differing, ["EXPOSE_GUI_API", "PRODUCTION", "SAVE_LOGS", "WEB_CONCURRENCY"]);
        assert.deepStrictEqual([publicEnv.SAVE_LOGS, internalEnv.SAVE_LOGS, publicEnv.ELASTIC_QUERY_TIMEOUT, internalEnv.ELASTIC_QUERY_TIMEOUT], ["no", "yes", undefined, "120"]);
    });

    it("the API reaches the data services the stack created", () => {
        const env = envOf(deploymentOf(prod, "public-api"));
        const redis = ofType(prod.resources, "aws:elasticache/replicationGroup:ReplicationGroup")[0];
        const mysql = ofType(prod.resources, "aws:rds/instance:Instance")[0];
        assert.match(env.REDIS_HOST, new RegExp(`^master\\.${redis.name}\\.`));
        assert.match(env.MYSQL_HOST, new RegExp(`^${mysql.name}\\.`));
    });

    it("the minimal profile runs one API cluster that serves collection and the GUI", () => {
        assert.deepStrictEqual(deployments(small).map(component).sort(), ["api", "apm", "gui", "update-worker"]);
        const env = envOf(deploymentOf(small, "api"));
        assert.strictEqual(env.EXPOSE_GUI_API, "yes");
        assert.strictEqual(env.PRODUCTION, "yes");
        assert.strictEqual((deploymentOf(small, "api").inputs.spec as Obj).replicas, 2);
    });

    for (const tier of ["public-api", "internal-api"]) {
        it(`${tier}: one instance per server, spread over zones, replaced one at a time`, () => {
            const deployment = deploymentOf(prod, tier);
            const pod = podSpec(deployment);
            const labels = (deployment.inputs.spec as Obj).template.metadata.labels;
            const [term] = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
            assert.strictEqual(term.topologyKey, "kubernetes.io/hostname");
            for (const [k, v] of Object.entries(term.labelSelector.matchLabels)) {
                assert.strictEqual(labels[k], v, `anti-affinity selector ${k} does not select the tier's own pods`);
            }
            assert.strictEqual(pod.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.deepStrictEqual((deployment.inputs.spec as Obj).strategy.rollingUpdate, { maxSurge: 0, maxUnavailable: 1 });
            assert.deepStrictEqual(pod.nodeSelector, { [TIER_LABEL]: tier });
            assert.deepStrictEqual(pod.tolerations, [{ key: TIER_LABEL, operator: "Equal", value: tier, effect: "NoSchedule" }]);
        });
    }

    it("every tier has a disruption budget that selects its pods and lets one go at a time", () => {
        const budgets = ofType(prod.resources, "kubernetes:policy/v1:PodDisruptionBudget");
        for (const tier of ["public-api", "internal-api", "gui"]) {
            const budget = budgets.find((b) => component(b) === tier)!;
            assert.ok(budget, `no PodDisruptionBudget for ${tier}`);
            assert.strictEqual((budget.inputs.spec as Obj).maxUnavailable, 1);
            const podLabels = (deploymentOf(prod, tier).inputs.spec as Obj).template.metadata.labels;
            for (const [k, v] of Object.entries((budget.inputs.spec as Obj).selector.matchLabels)) {
                assert.strictEqual(podLabels[k], v);
            }
        }
    });

    it("probes check the process only, so a slow Elasticsearch cannot take a tier down", () => {
        for (const [tier, path] of [["public-api", "/healthcheck"], ["internal-api", "/healthcheck"], ["gui", "/"]]) {
            const container = podSpec(deploymentOf(prod, tier)).containers[0];
            for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
                assert.strictEqual(container[probe]?.httpGet?.path, path, `${tier} ${probe}`);
            }
            assert.ok(container.livenessProbe.failureThreshold * container.livenessProbe.periodSeconds >= 60,
                `${tier} liveness gives up in under a minute`);
        }
    });

    it("API pods fit their server, leave room for the workers beside them, and hold their workers' memory", () => {
        for (const tier of prod.spec.internalApi ? ["public-api", "internal-api"] as const : []) {
            const spec = tier === "public-api" ? prod.spec.publicApi : prod.spec.internalApi!;
            const node = instanceCapacity(spec.instanceType)!;
            const { requests, limits } = podSpec(deploymentOf(prod, tier)).containers[0].resources;
            assert.deepStrictEqual(requests, limits, "API pods are guaranteed QoS");
            assert.ok(millis(requests.cpu) < node.vcpu * 1000 && mebi(requests.memory) < node.memoryMiB);
            assert.ok(mebi(requests.memory) >= spec.workers * API_WORKER_MIB, `${tier}: ${spec.workers} workers do not fit`);
        }
        const workers = deployments(prod).filter((d) => ["apm", "update-worker"].includes(component(d)));
        for (const worker of workers) {
            assert.deepStrictEqual(podSpec(worker).nodeSelector, { [TIER_LABEL]: "internal-api" },
                "workers run on GUI-facing API servers, which the data stores admit");
        }
    });

    it("each tier is exposed on its fixed node port with the client address kept, and a health check port for the load balancers", () => {
        const services = ofType(prod.resources, "kubernetes:core/v1:Service").filter((s) => ["public-api", "internal-api", "gui"].includes(component(s)));
        const specs: Record<string, Obj> = Object.fromEntries(services.map((s) => [component(s), (s.inputs.spec as Obj)]));
        assert.deepStrictEqual(Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, [s.ports[0].nodePort, s.healthCheckNodePort]])),
            { "public-api": [30080, 30083], "internal-api": [30081, 30084], gui: [30082, 30085] });
        for (const port of Object.values(specs).flatMap((spec) => [spec.ports[0].nodePort, spec.healthCheckNodePort])) {
            assert.ok(port >= NODE_PORT_STATIC_BAND[0] && port <= NODE_PORT_STATIC_BAND[1], `${port} lies in the dynamically allocated band`);
        }
        for (const spec of Object.values(specs)) {
            // LoadBalancer only for kube-proxy's health check port; the class keeps EKS from making a balancer.
            assert.deepStrictEqual([spec.type, spec.loadBalancerClass, spec.externalTrafficPolicy],
                ["LoadBalancer", "tracardi.io/pulumi-managed-alb", "Local"]);
        }
        const groups = ofType(prod.resources, "aws:lb/targetGroup:TargetGroup");
        for (const [tier, spec] of Object.entries(specs)) {
            const mine = groups.filter((g) => (g.inputs.port as number) === spec.ports[0].nodePort);
            assert.ok(mine.length >= 2, `${tier} has no target groups on its node port`);
            assert.ok(mine.every((g) => (g.inputs.healthCheck as Obj).port === String(spec.healthCheckNodePort)));
        }
    });

    it("one node group per tier, sized to its instances, reserved for it by a taint", () => {
        const groups = ofType(prod.resources, "aws:eks/nodeGroup:NodeGroup");
        const byTier = Object.fromEntries(groups.map((g) => [(g.inputs.labels as Obj)[TIER_LABEL], g.inputs]));
        for (const [tier, count] of [["public-api", 3], ["internal-api", 2], ["gui", 2]] as const) {
            const group = byTier[tier] as Obj;
            assert.ok(group, `no node group for ${tier}`);
            assert.strictEqual(group.scalingConfig.desiredSize, count);
            assert.strictEqual(group.scalingConfig.minSize, count);
            assert.deepStrictEqual(group.taints, [{ key: TIER_LABEL, value: tier, effect: "NO_SCHEDULE" }]);
            assert.strictEqual(group.subnetIds.length, prod.spec.network.availabilityZones);
        }
        assert.ok(byTier.system && (byTier.system as Obj).taints.length === 0, "add-ons need an untainted system group");
    });

    it("every server requires IMDSv2, encrypts its root volume and has no public address or SSH", () => {
        const templates = ofType(prod.resources, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.strictEqual(templates.length, ofType(prod.resources, "aws:eks/nodeGroup:NodeGroup").length);
        for (const template of templates) {
            const inputs = template.inputs as Obj;
            assert.strictEqual(inputs.metadataOptions.httpTokens, "required");
            assert.strictEqual(inputs.blockDeviceMappings[0].ebs.encrypted, "true");
            assert.strictEqual(inputs.blockDeviceMappings[0].ebs.volumeType, "gp3");
            assert.strictEqual(inputs.networkInterfaces, undefined);
        }
        for (const group of ofType(prod.resources, "aws:eks/nodeGroup:NodeGroup")) {
            assert.strictEqual((group.inputs as Obj).remoteAccess, undefined);
        }
    });

    it("Kubernetes objects are created through the cluster's provider, inside the workloads component", () => {
        const [provider] = ofType(prod.resources, "pulumi:providers:kubernetes");
        for (const object of prod.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type.includes("apps/v1"))) {
            assert.strictEqual(owningComponent(prod.resources, object)?.type, "tracardi:k8s:Workloads");
            assert.ok(object.provider.startsWith(`${provider.urn}::`), `${object.name} does not use the cluster's provider`);
        }
    });
});
