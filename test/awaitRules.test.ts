import * as assert from "assert";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { ofType } from "../offline/query";
import { SEARCH_AWAIT } from "../lib/elasticsearch";
import { awaitVerdict, awaitVerdicts } from "../offline/awaitRules";
import { checkScheduling } from "../offline/scheduling";
import { EKS_STACK_FILES, planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const verdictsOf = (plan: StackPlan, resources = plan.resources) =>
    awaitVerdicts({ resources, scheduling: checkScheduling(resources).problems });
const edited = (r: RecordedResource, edit: (inputs: Obj) => void): RecordedResource => {
    const copy = JSON.parse(JSON.stringify(r)) as RecordedResource;
    edit(copy.inputs as Obj);
    return copy;
};

describe("await rules: what `pulumi up` waits for, and what in the stack provides it", () => {
    for (const file of EKS_STACK_FILES) {
        it(`${file}: every Kubernetes object's awaited condition is provided by the stack`, async () => {
            const verdicts = verdictsOf(await planOf(file));
            assert.deepStrictEqual(verdicts.filter((v) => v.problem), []);
            assert.ok(verdicts.every((v) => v.providedBy), "a verdict without a provider");
        });
    }

    it("a tier Service of type LoadBalancer without skipAwait waits for an address nothing assigns", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const [service] = ofType(prod.resources, "kubernetes:core/v1:Service");
        const unannotated = edited(service, (i) => delete i.metadata.annotations);
        const verdict = awaitVerdict(unannotated, { resources: prod.resources, scheduling: [] });
        assert.strictEqual(verdict.awaits, "an address in .status.loadBalancer.ingress");
        assert.match(verdict.problem!, /nothing in the stack implements loadBalancerClass tracardi\.io\/pulumi-managed-alb/);
        const classless = edited(unannotated, (i) => delete i.spec.loadBalancerClass);
        assert.match(awaitVerdict(classless, { resources: prod.resources, scheduling: [] }).problem!, /Classic Load Balancer outside Pulumi/);
    });

    it("a Deployment whose pods fit no server is a rollout Pulumi waits on until it times out", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const resources = prod.resources.map((r) => r.type === "kubernetes:apps/v1:Deployment" && (r.inputs.metadata as Obj).name === "public-api"
            ? edited(r, (i) => (i.spec.template.spec.containers[0].resources = { requests: { cpu: "500m", memory: "64Gi" } }))
            : r);
        const problems = verdictsOf(prod, resources).filter((v) => v.problem);
        assert.deepStrictEqual(problems.map((v) => v.resource), ["tracardi-app-public-api"]);
        assert.match(problems[0].problem!, /a pod stays Pending: all servers up: .*memory 65536Mi/);
    });

    it("the search cluster is awaited until green, through the operator the stack installs", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const es = ofType(prod.resources, "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
        const verdict = awaitVerdict(es, { resources: prod.resources, scheduling: [] });
        assert.strictEqual(verdict.awaits, `pulumi.com/waitFor ${SEARCH_AWAIT["pulumi.com/waitFor"]}`);
        assert.deepStrictEqual(JSON.parse(SEARCH_AWAIT["pulumi.com/waitFor"]), ["jsonpath={.status.phase}=Ready", "jsonpath={.status.health}=green"]);
        assert.match(verdict.providedBy!, /operator/);
        const withoutOperator = prod.resources.filter((r) => r.type !== "kubernetes:helm.sh/v3:Release");
        assert.match(awaitVerdict(es, { resources: withoutOperator, scheduling: [] }).problem!, /no controller in the stack acts on elasticsearch\.k8s\.elastic\.co/);
        assert.deepStrictEqual(es.customTimeouts, { create: "30m", update: "60m", delete: "" });
    });

    it("the API and its workers start after search is green and Tracardi's user exists, and the install job after the GUI-facing API", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const es = ofType(prod.resources, "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
        const setup = ofType(prod.resources, "kubernetes:batch/v1:Job").find((j) => (j.inputs.metadata as Obj).name.startsWith("search-user-"))!;
        const snapshots = ofType(prod.resources, "kubernetes:batch/v1:Job").find((j) => (j.inputs.metadata as Obj).name.startsWith("search-snapshots-"))!;
        assert.ok(setup.dependsOn.includes(es.urn), "the setup job does not wait for a green cluster");
        const deployments = ofType(prod.resources, "kubernetes:apps/v1:Deployment");
        for (const d of deployments) {
            const name = (d.inputs.metadata as Obj).name;
            assert.strictEqual(d.dependsOn.includes(setup.urn), name !== "gui", `${name} ${name === "gui" ? "waits" : "does not wait"} for search`);
            assert.ok(!d.dependsOn.includes(snapshots.urn), `${name} waits for snapshots to work`);
        }
        const install = ofType(prod.resources, "kubernetes:batch/v1:Job").find((j) => (j.inputs.metadata as Obj).name.startsWith("install-"))!;
        assert.ok(install.dependsOn.includes(deployments.find((d) => (d.inputs.metadata as Obj).name === "internal-api")!.urn));
    });

    it("a kind without a rule is refused, so a new kind forces a decision", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const cronJob = { ...ofType(prod.resources, "kubernetes:batch/v1:Job")[0], type: "kubernetes:batch/v1:CronJob" };
        assert.throws(() => awaitVerdict(cronJob, { resources: prod.resources, scheduling: [] }), /no await rule for kubernetes:batch\/v1:CronJob/);
    });
});
