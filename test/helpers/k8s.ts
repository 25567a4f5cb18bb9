import type { RecordedResource } from "../../offline/mocks";

/** Validation of recorded Kubernetes objects against the Kubernetes OpenAPI schema (kubernetes-models). */

/** Types with no published schema: custom resources and Helm releases, asserted field by field instead. */
export const SCHEMALESS = [/^kubernetes:elasticsearch\.k8s\.elastic\.co\//, /^kubernetes:helm\.sh\//, /^kubernetes:apiextensions\.k8s\.io\/v1:CustomResource$/];

type Model = { validate(): void };
type ModelClass = new (data: unknown) => Model;

export function modelFor(type: string): ModelClass | undefined {
    const match = /^kubernetes:([^/]+)\/([^:]+):(\w+)$/.exec(type);
    if (!match) {
        return undefined;
    }
    const [, group, version, kind] = match;
    const modulePath = group === "core" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require(modulePath) as Record<string, ModelClass>)[kind];
    } catch {
        return undefined;
    }
}

export function kubernetesObjects(resources: RecordedResource[]): RecordedResource[] {
    return resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** Throws with the resource's name when its inputs break the schema. */
export function validateKubernetesObject(resource: RecordedResource): void {
    const Model = modelFor(resource.type);
    if (!Model) {
        throw new Error(`${resource.name}: no Kubernetes schema for ${resource.type}`);
    }
    try {
        new Model(resource.inputs).validate();
    } catch (err) {
        throw new Error(`${resource.name} (${resource.type}): ${(err as Error).message}`, { cause: err });
    }
}
