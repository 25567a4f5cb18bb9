import type { RecordedResource } from "./mocks";

/** Small readers over recorded resources, shared by tests, the plan and the policy runner. */

export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

export function byName(resources: RecordedResource[], name: string): RecordedResource {
    const found = resources.find((r) => r.name === name);
    if (!found) {
        throw new Error(`no resource named ${name}; have ${resources.map((r) => r.name).join(", ")}`);
    }
    return found;
}

/** The nearest ancestor of a resource that is a component of ours (type tracardi:*). */
export function owningComponent(resources: RecordedResource[], resource: RecordedResource): RecordedResource | undefined {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    let parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    while (parent && !parent.type.startsWith("tracardi:")) {
        parent = parent.parent ? byUrn.get(parent.parent) : undefined;
    }
    return parent;
}

/** What a resource waits for, as the engine records it: its dependsOn and the resources its inputs were built from. */
export function dependencyUrns(resource: RecordedResource): string[] {
    return [...resource.dependsOn, ...Object.values(resource.propertyDependencies).flat()];
}

/** Resources of a type with an input property built from one of `targets` (the engine's property dependencies). */
export function referring(resources: RecordedResource[], type: string, property: string, targets: RecordedResource[]): RecordedResource[] {
    const urns = new Set(targets.map((t) => t.urn));
    return ofType(resources, type).filter((r) => (r.propertyDependencies[property] ?? []).some((urn) => urns.has(urn)));
}
