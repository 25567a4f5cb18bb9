import type { RecordedResource } from "./mocks";
import type { Problem } from "./scheduling";
import { dependencyUrns } from "./query";
import { vmUserData } from "./userData";

/**
 * What pulumi-kubernetes waits for before it calls an object created or updated, and what in the
 * stack provides it. An awaited condition that nothing provides fails `pulumi up` after the
 * timeout (10 minutes unless `customTimeouts` or `pulumi.com/timeoutSeconds` say otherwise), and
 * fails again on every later run. Source: pulumi/pulumi-kubernetes provider/pkg/await/ (await.go
 * chooses; awaiters.go lists the kinds; service.go, deployment.go, job.go; metadata/overrides.go
 * reads the annotations) and provider/pkg/provider/helm_release.go (v4.32; the 4.34 docs agree).
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface AwaitVerdict {
    resource: string;
    type: string;
    /** The condition Pulumi waits for, in words. */
    awaits: string;
    /** What in the stack makes it true; undefined when nothing does (then `problem` says why). */
    providedBy?: string;
    problem?: string;
}

/** Controllers the stack installs, by the API group of the objects they act on, and how to recognise them. */
const OPERATORS: Record<string, (resources: RecordedResource[]) => RecordedResource | undefined> = {
    "elasticsearch.k8s.elastic.co": (resources) => resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as Obj).chart === "eck-operator"),
};

/** Objects the API server accepts as ready at once: not in the provider's awaiters map, or awaiting nothing. */
const IMMEDIATE = new Set([
    "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ConfigMap", "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:storage.k8s.io/v1:StorageClass",
    // No token Secret to wait for from Kubernetes 1.24 (EKS runs 1.30 and later).
    "kubernetes:core/v1:ServiceAccount",
]);

export interface AwaitContext {
    resources: RecordedResource[];
    /** Problems of the scheduling check, by pod set name (Deployments, Jobs and operators by their metadata name). */
    scheduling: Problem[];
}

/** Kubernetes' own API groups, whose kinds the provider awaits by its own rules. */
const builtIn = (group: string) => group === "core" || group.endsWith("k8s.io") || ["apps", "batch", "policy"].includes(group);

/** Why a pod set's pods stay Pending on creation or in its own rollout, or undefined when they are placed. */
function scheduled(name: string, context: AwaitContext): string | undefined {
    const problem = context.scheduling.find((p) => p.podSet === name && (p.scenario === "all servers up" || p.scenario === `rolling update of ${name}`));
    return problem && `${problem.scenario}: ${problem.reason}`;
}

/** The await rule of one Kubernetes object; throws for a kind no rule covers, so a new kind forces a decision. */
export function awaitVerdict(resource: RecordedResource, context: AwaitContext): AwaitVerdict {
    const inputs = resource.inputs as Obj;
    const annotations: Record<string, string> = inputs.metadata?.annotations ?? {};
    const verdict = (awaits: string, providedBy?: string, problem?: string): AwaitVerdict =>
        ({ resource: resource.name, type: resource.type, awaits, providedBy, problem: providedBy ? undefined : problem });
    const name = inputs.metadata?.name ?? inputs.name ?? resource.name;
    const group = /^kubernetes:([^/]+)\//.exec(resource.type)?.[1] ?? "";

    if (annotations["pulumi.com/skipAwait"] === "true") {
        return verdict("nothing (pulumi.com/skipAwait)", "-");
    }
    if (annotations["pulumi.com/waitFor"]) {
        const awaits = `pulumi.com/waitFor ${annotations["pulumi.com/waitFor"]}`;
        if (builtIn(group)) {
            return verdict(awaits, "Kubernetes' own controllers");
        }
        const operator = OPERATORS[group]?.(context.resources);
        if (!operator) {
            return verdict(awaits, undefined, `no controller in the stack acts on ${group}`);
        }
        // The operator's pods (ECK names them <name>-es-<node set>) must have servers to run on.
        const pending = context.scheduling.find((p) => p.podSet.startsWith(`${name}-es-`) && p.scenario === "all servers up");
        return verdict(awaits, pending ? undefined : `the ${operator.name} operator, with its pods placed by the scheduling check`,
            `a pod stays Pending: ${pending?.reason}`);
    }
    if (IMMEDIATE.has(resource.type)) {
        return verdict("nothing", "-");
    }
    switch (resource.type) {
        case "kubernetes:core/v1:Secret":
            return inputs.type === "kubernetes.io/service-account-token"
                ? verdict("its token data", "the token controller")
                : verdict("nothing", "-");
        case "kubernetes:core/v1:Service": {
            const spec = inputs.spec ?? {};
            if (spec.type === "LoadBalancer") {
                // service.go checks spec.type only: the class does not matter to the await.
                const awaits = "an address in .status.loadBalancer.ingress";
                if (spec.loadBalancerClass === undefined) {
                    return verdict(awaits, undefined,
                        "EKS's in-tree cloud provider would answer it with a Classic Load Balancer outside Pulumi's state; set skipAwait and a class, or use NodePort");
                }
                return verdict(awaits, undefined,
                    `nothing in the stack implements loadBalancerClass ${spec.loadBalancerClass}: annotate it pulumi.com/skipAwait`);
            }
            // Endpoints must settle (10 s without change); an empty set is accepted.
            return verdict("its Endpoints to settle", "the endpoints controller");
        }
        case "kubernetes:apps/v1:Deployment": {
            const why = scheduled(name, context);
            return verdict(`rollout: Available, and ${inputs.spec?.replicas ?? 1} ready pods of the new ReplicaSet`,
                why ? undefined : "its pods, placed by the scheduling check", `a pod stays Pending: ${why}`);
        }
        case "kubernetes:batch/v1:Job": {
            const why = scheduled(name, context);
            return verdict("condition Complete (fails at once on Failed)", why ? undefined : "its pod, placed by the scheduling check",
                `its pod stays Pending: ${why}`);
        }
        case "kubernetes:helm.sh/v3:Release": {
            if (inputs.skipAwait === true) {
                return verdict("nothing (skipAwait)", "-");
            }
            const why = scheduled(name, context);
            return verdict("helm --wait: the chart's pods ready (300 s per operation by default)",
                why ? undefined : "the chart's pods, placed by the scheduling check", `the chart's pod stays Pending: ${why}`);
        }
        case "kubernetes:core/v1:PersistentVolumeClaim":
            return verdict("Bound, or Pending with a WaitForFirstConsumer storage class", undefined,
                "the stack creates no claims of its own: ECK's StatefulSets claim their volumes");
        default:
            if (!builtIn(group) && group !== "helm.sh") {
                // Custom resources: immediate unless PULUMI_K8S_AWAIT_ALL=true or an annotation asks.
                return verdict("nothing (custom resources are not awaited by default)", "-");
            }
            throw new Error(`no await rule for ${resource.type} (${resource.name}): read pulumi-kubernetes provider/pkg/await/awaiters.go and add one to offline/awaitRules.ts`);
    }
}

const AUTO_SCALING_GROUP = "aws:autoscaling/group:Group";

/** Minutes of a provider duration ("40m", "1h", "600s"); the provider's default is 10m. */
function minutes(duration: string | undefined): number {
    const match = /^(\d+)([smh])$/.exec(duration ?? "10m");
    return match ? Number(match[1]) * { s: 1 / 60, m: 1, h: 60 }[match[2] as "s" | "m" | "h"] : NaN;
}

/** Every resource a resource waits for before it is created: its dependencies and those of its inputs, transitively. */
function upstream(resource: RecordedResource, byUrn: Map<string, RecordedResource>): Set<string> {
    const seen = new Set<string>();
    const queue = [resource];
    while (queue.length > 0) {
        const next = queue.pop()!;
        for (const urn of dependencyUrns(next)) {
            if (!seen.has(urn) && byUrn.has(urn)) {
                seen.add(urn);
                queue.push(byUrn.get(urn)!);
            }
        }
    }
    return seen;
}

/**
 * What the AWS provider waits for before it calls an Auto Scaling group created: as many servers
 * InService and Healthy as the group's desired capacity, within wait_for_capacity_timeout (10 m by
 * default); a server held by a launch lifecycle hook counts only once the hook is completed
 * (terraform-provider-aws internal/service/autoscaling/group.go, statusGroupCapacity and
 * waitGroupCapacitySatisfied; a launch template change starts no wait and no refresh is awaited).
 * A hook is provided when the server's user data completes it and its role may; a group whose
 * servers complete it only once a cluster of several groups has formed must not wait for another
 * such group, or the first never gets its quorum.
 */
export function autoScalingGroupVerdict(group: RecordedResource, resources: RecordedResource[], userData: Record<string, string>): AwaitVerdict {
    const inputs = group.inputs as Obj;
    const hooks: Obj[] = (inputs.initialLifecycleHooks ?? []).filter((h: Obj) => h.lifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING");
    const awaits = `${inputs.desiredCapacity ?? inputs.minSize} server(s) InService and Healthy within ${inputs.waitForCapacityTimeout ?? "10m"}`;
    const verdict = (providedBy?: string, problem?: string): AwaitVerdict =>
        ({ resource: group.name, type: group.type, awaits, providedBy, problem: providedBy ? undefined : problem });
    if (inputs.waitForCapacityTimeout === "0") {
        return verdict("-");
    }
    if (hooks.length === 0) {
        return verdict("EC2 starting the server (health checks count after the grace period)");
    }
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.id === inputs.launchTemplate?.id);
    const script = template ? userData[template.name] ?? "" : "";
    const tags: Obj[] = inputs.tags ?? [];
    const policies = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.parent === group.parent).map((r) => JSON.parse(String((r.inputs as Obj).policy)));
    for (const hook of hooks) {
        // The provider validates heartbeat_timeout as IntBetween(30, 7200) (group.go, initial_lifecycle_hook).
        if (!(Number(hook.heartbeatTimeout) >= 30 && Number(hook.heartbeatTimeout) <= 7200)) {
            return verdict(undefined, `the launch hook ${hook.name} has a heartbeat of ${hook.heartbeatTimeout} s: AWS allows 30 to 7200`);
        }
        if (!script.includes(`LIFECYCLE_HOOK=${hook.name}`)) {
            return verdict(undefined, `no unit of the server's user data completes the launch hook ${hook.name}: every server waits out its ${hook.heartbeatTimeout} s heartbeat`);
        }
        const may = (action: string) => policies.some((p) => (p.Statement as Obj[]).some((st) => [st.Action].flat().includes(action) &&
            Object.entries(st.Condition?.StringEquals ?? {}).every(([key, value]) => tags.some((t) => key === `autoscaling:ResourceTag/${t.key}` && t.value === value))));
        for (const action of ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"]) {
            if (!may(action)) {
                return verdict(undefined, `the servers' role may not call ${action} on the launch hook ${hook.name} of this group`);
            }
        }
        // A launch given up at the heartbeat's end is replaced: the wait must cover both.
        if (hook.defaultResult === "ABANDON" && minutes(inputs.waitForCapacityTimeout) <= (2 * Number(hook.heartbeatTimeout)) / 60) {
            return verdict(undefined, `wait_for_capacity_timeout ${inputs.waitForCapacityTimeout ?? "10m"} ends before a launch given up after ` +
                `${hook.heartbeatTimeout} s and its replacement: the create fails while a node still joins`);
        }
    }
    const before = upstream(group, byUrn);
    const peer = resources.find((r) => r.type === AUTO_SCALING_GROUP && r !== group && before.has(r.urn) &&
        ((r.inputs as Obj).initialLifecycleHooks ?? []).some((h: Obj) => hooks.some((own) => own.name === h.name)));
    if (peer) {
        return verdict(undefined, `it waits for ${peer.name}, whose servers complete the same hook only once the cluster has formed: neither finishes`);
    }
    return verdict(`the servers' ${hooks.map((h) => h.name).join(", ")} unit, completing the hook once the node has joined a green cluster`);
}

export function awaitVerdicts(context: AwaitContext): AwaitVerdict[] {
    const groups = context.resources.filter((r) => r.type === AUTO_SCALING_GROUP);
    const userData = groups.length > 0 ? vmUserData(context.resources) : {};
    return [
        ...context.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => awaitVerdict(r, context)),
        ...groups.map((r) => autoScalingGroupVerdict(r, context.resources, userData)),
    ];
}
