/**
 * Kubeconfig for the program's Kubernetes provider. Tokens come from `aws eks get-token` at
 * each use, so nothing long-lived is stored in the stack's state.
 */
export interface KubeconfigArgs {
    clusterName: string;
    endpoint: string;
    certificateAuthority: string;
    region: string;
}

export function renderKubeconfig(args: KubeconfigArgs): string {
    const context = args.clusterName;
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: context, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } }],
        users: [{
            name: context,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
                    interactiveMode: "Never",
                },
            },
        }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
        "current-context": context,
    });
}
