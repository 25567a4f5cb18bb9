import * as assert from "assert";
import { GUI_CAPABILITIES } from "../lib/manifests";
import type { StackPlan } from "../offline/harness";
import { ofType } from "../offline/query";
import { EKS_STACK_FILES, planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const policies = (plan: StackPlan) => ofType(plan.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs as Obj);
const component = (labels: Obj) => labels["app.kubernetes.io/component"];

/** Which pods a namespace's policies admit on which port, from where: [component, port, source] rows. */
function admitted(plan: StackPlan): string[][] {
    const rows: string[][] = [];
    for (const policy of policies(plan)) {
        const target = policy.spec.podSelector.matchLabels ? component(policy.spec.podSelector.matchLabels) ?? "search" : "*";
        for (const rule of policy.spec.ingress ?? []) {
            for (const port of rule.ports ?? [{ port: "any" }]) {
                for (const from of rule.from ?? [{}]) {
                    const source = from.ipBlock?.cidr ?? (from.podSelector?.matchLabels && component(from.podSelector.matchLabels))
                        ?? (from.namespaceSelector ? "operator" : from.podSelector ? "pods" : "anywhere");
                    rows.push([target, String(port.port), source]);
                }
            }
        }
    }
    return rows.sort((a, b) => a.join().localeCompare(b.join()));
}

describe("network policies: the workloads' namespace admits only what serves traffic", () => {
    for (const file of EKS_STACK_FILES) {
        it(`${file}: default deny, then each tier from its load balancers' subnets and the GUI-facing API from the install job`, async () => {
            const plan = await planOf(file);
            const deny = policies(plan).find((p) => p.metadata.name === "default-deny-ingress")!;
            assert.deepStrictEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress"] });
            const publicSubnets = plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && (r.inputs.tags as Obj)["tracardi:subnet-tier"] === "public")
                .map((s) => s.inputs.cidrBlock as string);
            assert.strictEqual(publicSubnets.length, plan.spec.network.availabilityZones);
            const tiers = plan.spec.internalApi ? ["public-api", "internal-api", "gui"] : ["api", "gui"];
            const guiApi = plan.spec.internalApi ? "internal-api" : "api";
            const expected = [
                ...tiers.flatMap((tier) => publicSubnets.map((cidr) => [tier, "80", cidr])),
                [guiApi, "80", "install"],
            ];
            const workloads = admitted(plan).filter(([target]) => target !== "search");
            assert.deepStrictEqual(workloads, expected.sort((a, b) => a.join().localeCompare(b.join())));
            // The deny lands only once every allow is in place: a running stack never meets it alone.
            const resources = ofType(plan.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            const denyResource = resources.find((r) => (r.inputs.metadata as Obj).name === "default-deny-ingress")!;
            for (const allow of resources.filter((r) => r !== denyResource && !(r.inputs.metadata as Obj).name.startsWith("tracardi-search"))) {
                assert.ok(denyResource.dependsOn.includes(allow.urn), `the deny does not wait for ${allow.name}`);
            }
        });
    }

    it("the GUI keeps only the capabilities nginx needs, and nothing may gain more", async () => {
        const prod = await planOf("Pulumi.prod.yaml");
        const gui = ofType(prod.resources, "kubernetes:apps/v1:Deployment").find((d) => (d.inputs.metadata as Obj).name === "gui")!;
        const context = (gui.inputs.spec as Obj).template.spec.containers[0].securityContext;
        assert.deepStrictEqual(context, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: GUI_CAPABILITIES } });
        assert.deepStrictEqual([...GUI_CAPABILITIES].sort(), ["CHOWN", "DAC_OVERRIDE", "NET_BIND_SERVICE", "SETGID", "SETUID"]);
    });
});
