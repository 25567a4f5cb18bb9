/** Tags every AWS resource of a stack carries: who owns it and which stack made it. */
export function baseTags(stack: string, extra: Record<string, string>): Record<string, string> {
    return { ...extra, "tracardi:stack": stack, "managed-by": "pulumi" };
}

/** The tag that names a server's or a load balancer's tier (public-api, internal-api, api, gui, workers). */
export const TIER_TAG = "tracardi:tier";

/** Tags plus a Name, which the EC2 console shows. */
export function named(tags: Record<string, string>, name: string): Record<string, string> {
    return { ...tags, Name: name };
}
