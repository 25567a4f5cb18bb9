/** Names derived from the stack name, made safe for the services that hold them. */
export interface StackNames {
    /** EKS cluster: letters, digits, hyphens; unique in the account and region. */
    clusterName: string;
    /** Kubernetes namespace of the workloads: a DNS label. */
    namespace: string;
}

export function stackNames(stack: string): StackNames {
    const slug = stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "stack";
    return {
        clusterName: `tracardi-${slug}`.slice(0, 100),
        namespace: `tracardi-${slug}`.slice(0, 63).replace(/-+$/, ""),
    };
}
