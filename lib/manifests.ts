import * as fs from "fs";
import * as path from "path";
import type * as Input from "@pulumi/kubernetes/types/input";
import { leftForPod, NodeModel, Resources } from "./nodeModel";
import type { TracardiRelease, WorkerImage } from "./releases";
import type { TierName, TierPlan, TierServing } from "./tiers";
import { CA_MOUNT_PATH, EnvVar, SecretKeyRef, stackSecret } from "./tracardiEnv";

/**
 * Kubernetes objects of the Tracardi workloads, as plain data: rendered here, validated against
 * the Kubernetes schema in the tests, and created as they are by components/tracardiWorkloads.ts.
 */

export type DeploymentManifest = { metadata: Input.meta.v1.ObjectMeta; spec: Input.apps.v1.DeploymentSpec };

/** The environment as Kubernetes takes it: secrets from the Secret the reference names. */
export function kubernetesEnv(env: EnvVar[]): Input.core.v1.EnvVar[] {
    return env.map((e) => ("secret" in e ? { name: e.name, valueFrom: { secretKeyRef: e.secret } } : e));
}

/** Node label and taint that reserve a node group for one tier. */
export const TIER_LABEL = "tracardi.io/tier";

export function tierLabels(component: string): Record<string, string> {
    return { "app.kubernetes.io/name": "tracardi", "app.kubernetes.io/part-of": "tracardi", "app.kubernetes.io/component": component };
}

function selector(component: string): Record<string, string> {
    return { "app.kubernetes.io/part-of": "tracardi", "app.kubernetes.io/component": component };
}

export interface PodResources {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

/**
 * What the release's workers request beside a GUI-facing API pod. Any of its servers may host
 * any of them (both on one, after a server is lost), so every such server keeps room for all.
 */
export const workerRequests = (release: TracardiRelease): Resources[] =>
    release.workers.map((w) => ({ cpuMillis: w.resources.cpuMillis, memoryMiB: w.resources.memoryMiB }));

/** A worker's pod: memory requested as much as its limit (the API server kept it), CPU may burst. */
function workerPodResources(worker: WorkerImage): PodResources {
    const { cpuMillis, cpuLimitMillis, memoryMiB } = worker.resources;
    return { requests: { cpu: `${cpuMillis}m`, memory: `${memoryMiB}Mi` }, limits: { cpu: `${cpuLimitMillis}m`, memory: `${memoryMiB}Mi` } };
}

/**
 * The API pod takes what its server leaves pods (the node model: allocatable less the add-on
 * DaemonSets, less a headroom for their growth) less the pods placed beside it; it is alone on
 * its server otherwise, so requests equal limits (guaranteed QoS, never evicted first).
 */
export function apiPodResources(node: NodeModel, beside: Resources[]): PodResources {
    const { cpuMillis, memoryMiB } = apiPodBudget(node, beside);
    return guaranteed(cpuMillis, memoryMiB);
}

/** Requests equal to limits: guaranteed QoS, for a pod that has its server to itself. */
export function guaranteed(cpuMillis: number, memoryMiB: number): PodResources {
    const quantity = { cpu: `${cpuMillis}m`, memory: `${memoryMiB}Mi` };
    return { requests: quantity, limits: quantity };
}

/** Below this an API server has no room for even one worker and Tracardi's start-up. */
export const API_MIN = { cpuMillis: 500, memoryMiB: 1024 };

/** What an API server leaves its API pod once the pods beside it have their requests; a RangeError when too little. */
export function apiPodBudget(node: NodeModel, beside: Resources[]): Resources {
    const { cpuMillis, memoryMiB } = leftForPod(node, beside);
    if (cpuMillis < API_MIN.cpuMillis || memoryMiB < API_MIN.memoryMiB) {
        throw new RangeError(`a ${node.instance.instanceType} leaves ${cpuMillis}m and ${memoryMiB}Mi for the API`);
    }
    return { cpuMillis, memoryMiB };
}

/** Memory one gunicorn worker of the API needs, for checking a worker count fits its node. */
export const API_WORKER_MIB = 250;

/** What the nginx of the GUI image needs as root: chown and read its cache, switch users, bind :80. */
export const GUI_CAPABILITIES = ["CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID", "NET_BIND_SERVICE"];

const GUI_RESOURCES: PodResources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

function placement(tier: TierName): Pick<Input.core.v1.PodSpec, "nodeSelector" | "tolerations"> {
    return {
        nodeSelector: { [TIER_LABEL]: tier },
        tolerations: [{ key: TIER_LABEL, operator: "Equal", value: tier, effect: "NoSchedule" }],
    };
}

const httpGet = (urlPath: string) => ({ httpGet: { path: urlPath, port: "http" } });

/**
 * Probes that touch nothing but the process: `/healthcheck` checks no dependency, so a slow
 * Elasticsearch cannot mark a healthy tier dead or unready and empty its load balancers.
 * The start-up probe allows five minutes, since from 0.9 the API retries its databases at start.
 */
function probes(urlPath: string) {
    return {
        startupProbe: { ...httpGet(urlPath), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
        livenessProbe: { ...httpGet(urlPath), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        readinessProbe: { ...httpGet(urlPath), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    };
}

/**
 * Keeps a terminating pod serving until the load balancers have seen its server fail kube-proxy's
 * health check (two checks, five seconds apart) and stopped sending it requests.
 */
export const DRAIN_SECONDS = 20;
const DRAIN = { preStop: { exec: { command: ["sleep", String(DRAIN_SECONDS)] } } };

const POD_SECURITY = { seccompProfile: { type: "RuntimeDefault" } };

/** The search cluster's CA, where ELASTIC_CA_FILE points. */
function caVolumes(ca: SecretKeyRef | undefined): Input.core.v1.Volume[] {
    return ca ? [{ name: "elastic-ca", secret: { secretName: ca.name, items: [{ key: ca.key, path: ca.key }] } }] : [];
}

function caMounts(ca: SecretKeyRef | undefined): Input.core.v1.VolumeMount[] {
    return ca ? [{ name: "elastic-ca", mountPath: CA_MOUNT_PATH, readOnly: true }] : [];
}

/** Deployment skeleton shared by every tier: labels, selector, update strategy. */
function deployment(name: string, namespace: string, replicas: number, strategy: Input.apps.v1.DeploymentStrategy,
    pod: Input.core.v1.PodSpec): DeploymentManifest {
    const labels = tierLabels(name);
    return {
        metadata: { name, namespace, labels },
        spec: { replicas, selector: { matchLabels: selector(name) }, strategy, template: { metadata: { labels }, spec: pod } },
    };
}

// One pod per server leaves no room to surge: replace one pod at a time.
const ONE_AT_A_TIME = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };

export interface ApiDeploymentArgs {
    tier: TierPlan;
    namespace: string;
    image: string;
    env: EnvVar[];
    resources: PodResources;
    /** CA of the search cluster, mounted where ELASTIC_CA_FILE points. */
    searchCa?: SecretKeyRef;
}

export function apiDeployment(args: ApiDeploymentArgs): DeploymentManifest {
    const { tier } = args;
    return deployment(tier.name, args.namespace, tier.instances, ONE_AT_A_TIME, {
        ...placement(tier.name),
        ...onePerServer(tier.name),
        automountServiceAccountToken: false,
        securityContext: POD_SECURITY,
        terminationGracePeriodSeconds: 45,
        containers: [{
            name: "api",
            image: args.image,
            ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
            env: kubernetesEnv(args.env),
            resources: args.resources,
            ...probes(tier.probePath),
            lifecycle: DRAIN,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
            volumeMounts: caMounts(args.searchCa),
        }],
        volumes: caVolumes(args.searchCa),
    });
}

/**
 * One pod of a tier per server, required: a tier's servers are its redundancy, and a second pod
 * on one server would leave another server's health check failing. Zone balance is best effort,
 * so a lost zone never blocks rescheduling elsewhere.
 */
function onePerServer(name: string): Pick<Input.core.v1.PodSpec, "affinity" | "topologySpreadConstraints"> {
    return {
        affinity: {
            podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                    labelSelector: { matchLabels: selector(name) },
                    topologyKey: "kubernetes.io/hostname",
                }],
            },
        },
        topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: selector(name) },
        }],
    };
}

export function guiDeployment(tier: TierPlan, namespace: string, image: string): DeploymentManifest {
    return deployment(tier.name, namespace, tier.instances, ONE_AT_A_TIME, {
        ...placement(tier.name),
        ...onePerServer(tier.name),
        automountServiceAccountToken: false,
        securityContext: POD_SECURITY,
        containers: [{
            name: "gui",
            image,
            ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
            resources: GUI_RESOURCES,
            ...probes(tier.probePath),
            lifecycle: DRAIN,
            // The image's nginx master starts as root, binds :80, owns its cache directories and
            // switches its workers to an unprivileged user: those capabilities and no others.
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: GUI_CAPABILITIES } },
        }],
    });
}

export interface WorkerDeploymentArgs {
    worker: WorkerImage;
    namespace: string;
    env: EnvVar[];
    /** The GUI-facing API tier, whose nodes are the only ones the data stores admit besides the public API. */
    nodeTier: TierName;
    searchCa?: SecretKeyRef;
}

export function workerDeployment(args: WorkerDeploymentArgs): DeploymentManifest {
    // Two copies of a worker would process the same jobs twice.
    const { worker } = args;
    return deployment(worker.name, args.namespace, 1, { type: "Recreate" }, {
        ...placement(args.nodeTier),
        automountServiceAccountToken: false,
        securityContext: POD_SECURITY,
        containers: [{
            name: worker.name,
            image: worker.image,
            env: kubernetesEnv(args.env),
            resources: workerPodResources(worker),
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            volumeMounts: caMounts(args.searchCa),
        }],
        volumes: caVolumes(args.searchCa),
    });
}

/**
 * Fixed node ports come from the static band of the node port range: Kubernetes allocates
 * dynamic ports from the upper band first, so a fixed port there can be taken by any other
 * Service before ours is created (KEP-3668; band = min(max(16, range/32), 128) ports, for
 * 30000-32767 that is 30000-30085). Health check node ports are allocated from the same range.
 */
export const NODE_PORT_STATIC_BAND = [30000, 30085] as const;
const NODE_PORTS: Record<TierName, number> = { "public-api": 30080, api: 30080, "internal-api": 30081, gui: 30082 };
const HEALTH_CHECK_NODE_PORTS: Record<TierName, number> = { "public-api": 30083, api: 30083, "internal-api": 30084, gui: 30085 };

/**
 * How an EKS tier serves its load balancers: requests on its node port, and kube-proxy's `/healthz`
 * on its health check node port, which answers 200 while the server has a ready pod of the tier
 * and 503 once it has none or only terminating ones, so a server leaves rotation before its pod
 * stops, not after.
 */
export function eksTierServing(tier: TierName): TierServing {
    return { port: NODE_PORTS[tier], healthCheck: { port: HEALTH_CHECK_NODE_PORTS[tier], path: "/healthz" } };
}

/** A class no controller implements: the load balancers are Pulumi's, not Kubernetes'. */
export const LOAD_BALANCER_CLASS = "tracardi.io/pulumi-managed-alb";

/**
 * pulumi-kubernetes awaits a `LoadBalancer` Service until `.status.loadBalancer.ingress` is set,
 * whatever its class (provider/pkg/await/service.go); nothing sets it for an unimplemented class,
 * so without this `pulumi up` fails after ten minutes, and again on every later run. The tier's
 * Deployment rollout is what is awaited instead.
 */
const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" };

/**
 * The tier's Service for the load balancers: fixed node ports, traffic kept on the server it
 * reached (the client address survives), and kube-proxy's health check node port, which only
 * `LoadBalancer` Services get. The unimplemented class keeps EKS from creating a balancer for it.
 */
export function tierService(tier: TierPlan, namespace: string): { metadata: Input.meta.v1.ObjectMeta; spec: Input.core.v1.ServiceSpec } {
    return {
        metadata: { name: tier.name, namespace, labels: tierLabels(tier.name), annotations: SKIP_AWAIT },
        spec: {
            type: "LoadBalancer",
            loadBalancerClass: LOAD_BALANCER_CLASS,
            externalTrafficPolicy: "Local",
            healthCheckNodePort: HEALTH_CHECK_NODE_PORTS[tier.name],
            selector: selector(tier.name),
            ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: "http", nodePort: NODE_PORTS[tier.name] }],
        },
    };
}

type NetworkPolicyManifest = { metadata: Input.meta.v1.ObjectMeta; spec: Input.networking.v1.NetworkPolicySpec };

/** Component of the install job's pods. */
const INSTALL_COMPONENT = "install";

/**
 * The workloads' namespace admits nothing but what serves traffic: a default deny of ingress,
 * then each tier's port from its load balancers' subnets (targets keep the balancer's address:
 * `externalTrafficPolicy: Local`), and the GUI-facing API's from the install job. Search has a
 * policy of its own. The VPC CNI's policy agent always admits the node itself, so kubelet's probes
 * pass (aws/aws-network-policy-agent#56, #65).
 */
export function workloadNetworkPolicies(args: {
    namespace: string; tiers: TierPlan[]; loadBalancerCidrs: string[]; installTarget: TierName;
}): { allows: NetworkPolicyManifest[]; deny: NetworkPolicyManifest } {
    const http = [{ protocol: "TCP", port: 80 }];
    const policy = (name: string, spec: Input.networking.v1.NetworkPolicySpec): NetworkPolicyManifest =>
        ({ metadata: { name, namespace: args.namespace, labels: tierLabels("network-policy") }, spec });
    return {
        allows: [...args.tiers.map((tier) => policy(`${tier.name}-from-load-balancers`, {
            podSelector: { matchLabels: selector(tier.name) },
            policyTypes: ["Ingress"],
            ingress: [{ from: args.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: http }],
        })),
        policy(`${args.installTarget}-from-install`, {
            podSelector: { matchLabels: selector(args.installTarget) },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: selector(INSTALL_COMPONENT) } }], ports: http }],
        })],
        deny: policy("default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] }),
    };
}

export function podDisruptionBudget(component: string, namespace: string): { metadata: Input.meta.v1.ObjectMeta; spec: Input.policy.v1.PodDisruptionBudgetSpec } {
    return {
        metadata: { name: component, namespace, labels: tierLabels(component) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector(component) } },
    };
}

/** stdlib-only Python, so the job needs nothing but a pinned Python image. */
export const INSTALL_SCRIPT = fs.readFileSync(path.join(__dirname, "install", "install.py"), "utf8");

/** What the install script reads, as a Job or a server's one-shot unit passes it. */
export function installInputs(apiUrl: string, adminEmail: string): { env: { name: string; value: string }[]; secretFiles: Record<string, SecretKeyRef> } {
    return {
        env: [{ name: "TRACARDI_API_URL", value: apiUrl }, { name: "ADMIN_EMAIL", value: adminEmail }],
        secretFiles: { ADMIN_PASSWORD: stackSecret("adminPassword"), INSTALLATION_TOKEN: stackSecret("installationToken") },
    };
}
export const INSTALL_IMAGE = "python:3.12.8-alpine3.21";

export interface InstallJobArgs {
    namespace: string;
    apiUrl: string;
    adminEmail: string;
    /** The release being installed: a new release replaces the job, which re-runs (and updates the schema). */
    release: string;
}

export type JobManifest = { metadata: Input.meta.v1.ObjectMeta; spec: Input.batch.v1.JobSpec };

/** Where a job finds the secret files it reads: `<dir>/<secret name>/<key>`. */
const SECRET_FILES_DIR = "/run/secrets";
const JOB_USER = 65534;

/**
 * Secrets as files rather than environment variables (which leak through `kubectl describe`, crash
 * dumps and child processes): one read-only volume per Secret, readable by the job's group only,
 * and `<NAME>_FILE` pointing at each file.
 */
function secretFiles(files: Record<string, SecretKeyRef>): { env: EnvVar[]; volumes: Input.core.v1.Volume[]; volumeMounts: Input.core.v1.VolumeMount[] } {
    const secrets = [...new Set(Object.values(files).map((ref) => ref.name))].sort();
    return {
        env: Object.entries(files).map(([name, ref]) => ({ name: `${name}_FILE`, value: `${SECRET_FILES_DIR}/${ref.name}/${ref.key}` })),
        volumes: secrets.map((secretName, i) => ({
            name: `secret-${i}`,
            secret: {
                secretName, defaultMode: 0o440,
                items: [...new Set(Object.values(files).filter((ref) => ref.name === secretName).map((ref) => ref.key))].sort().map((key) => ({ key, path: key })),
            },
        })),
        volumeMounts: secrets.map((secretName, i) => ({ name: `secret-${i}`, mountPath: `${SECRET_FILES_DIR}/${secretName}`, readOnly: true })),
    };
}

/**
 * A run-to-completion Python script in the pinned image: unprivileged, read-only, never
 * restarted in place (a failed pod is replaced up to `backoffLimit` times). Its secrets arrive as
 * files (`secretFiles`, by environment variable name).
 */
export function pythonJob(args: {
    name: string; namespace: string; component: string; script: string; env: EnvVar[]; backoffLimit: number;
    secretFiles?: Record<string, SecretKeyRef>;
    volumes?: Input.core.v1.Volume[]; volumeMounts?: Input.core.v1.VolumeMount[];
}): JobManifest {
    const labels = tierLabels(args.component);
    const secrets = secretFiles(args.secretFiles ?? {});
    return {
        metadata: { name: args.name, namespace: args.namespace, labels },
        spec: {
            backoffLimit: args.backoffLimit,
            activeDeadlineSeconds: 3600,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    securityContext: { ...POD_SECURITY, runAsNonRoot: true, runAsUser: JOB_USER, runAsGroup: JOB_USER, fsGroup: JOB_USER },
                    containers: [{
                        name: args.component,
                        image: INSTALL_IMAGE,
                        command: ["python3", "-c", args.script],
                        env: kubernetesEnv([...args.env, ...secrets.env]),
                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        volumeMounts: [...(args.volumeMounts ?? []), ...secrets.volumeMounts],
                    }],
                    volumes: [...(args.volumes ?? []), ...secrets.volumes],
                },
            },
        },
    };
}

export function installJob(args: InstallJobArgs): JobManifest {
    return pythonJob({
        name: `install-${args.release.replace(/\./g, "-")}`,
        namespace: args.namespace,
        component: INSTALL_COMPONENT,
        script: INSTALL_SCRIPT,
        backoffLimit: 4,
        ...installInputs(args.apiUrl, args.adminEmail),
    });
}
