import * as assert from "assert";
import { kubernetesObjects, SCHEMALESS, validateKubernetesObject } from "./helpers/k8s";
import { EKS_STACK_FILES, planOf } from "./helpers/plans";

describe("Kubernetes objects against the Kubernetes OpenAPI schema", () => {
    it("rejects an object that breaks the schema (the check can fail)", () => {
        assert.throws(() => validateKubernetesObject({
            urn: "u", id: "i", type: "kubernetes:core/v1:Service", name: "broken", custom: true, protect: false,
            retainOnDelete: false, dependsOn: [], propertyDependencies: {}, replaceOnChanges: [], deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: "", secretInputs: [],
            inputs: { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: "eighty" }] } },
        }), /broken.*port/);
    });

    for (const file of EKS_STACK_FILES) {
        it(`every object of ${file} validates`, async () => {
            const objects = kubernetesObjects((await planOf(file)).resources)
                .filter((r) => !SCHEMALESS.some((re) => re.test(r.type)));
            assert.ok(objects.length >= 10, `only ${objects.length} Kubernetes objects`);
            for (const object of objects) {
                validateKubernetesObject(object);
            }
        });
    }
});
