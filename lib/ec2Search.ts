import { heapMiB, HTTP_PORT, searchUserInputs, SNAPSHOT_SCRIPT, snapshotInputs, snapshotRepository, TRANSPORT_PORT } from "./elasticsearch";
import { instanceCapacity } from "./instanceTypes";
import { SEARCH_CLUSTER_NAME } from "./search";
import type { SecretKeyRef } from "./tracardiEnv";
import { renderServerUserData, shellQuote, unitName, writeFileCommand } from "./vmUserData";

/**
 * Elasticsearch on EC2 servers of its own (`elasticsearch.provider: ec2`), as plain data: each
 * node's user data, configuration, role policy and the API's connection, rendered here and created
 * by components/ec2Search.ts.
 *
 * A node's identity is its data volume and its network interface, both made by the stack in the
 * node's zone: whichever server its Auto Scaling group of one starts attaches them at boot, so a
 * replaced server comes back with the same data and the same address.
 */

export const searchImage = (version: string): string => `docker.elastic.co/elasticsearch/elasticsearch:${version}`;

/** The image runs Elasticsearch as uid 1000 (group 0): its data and key files must be its own. */
const ES_UID = 1000;
const ES_CONFIG = "/usr/share/elasticsearch/config";
const CERTS = `${ES_CONFIG}/certs`;
/** Where the node's volume is mounted on the server. */
export const SEARCH_DATA_DIR = "/var/lib/tracardi-search";
const YML_PATH = "/etc/tracardi/elasticsearch.yml";
/** The launch lifecycle hook a node completes once it has joined and the cluster is green. */
export const SEARCH_LAUNCH_HOOK = "tracardi-search-joined";
/** Tag on a node's volume, interface, group and servers: what its role may attach, and to what. */
export const SEARCH_NODE_TAG = "tracardi:search-node";
/** Device name the volume is attached as (Nitro servers show it as NVMe, found by volume id). */
const VOLUME_DEVICE = "/dev/sdf";
/** At least what Elasticsearch's bootstrap check asks (docs: vm.max_map_count, 262144). */
export const MAX_MAP_COUNT = 262144;
/** Elasticsearch's bootstrap check wants 65535 open files (65536 in older versions: BootstrapChecks.FileDescriptorCheck); 65536 passes both. */
const NOFILE = "nofile=65536:65536";

/** The search nodes' Secrets Manager secret holds these, under `<SEARCH_SECRET>/<key>`. */
export const SEARCH_SECRET = "tracardi-search";
const ref = (key: string): SecretKeyRef => ({ name: SEARCH_SECRET, key });
export const SEARCH_SECRET_REFS = {
    elasticPassword: ref("elastic-password"),
    tracardiPassword: ref("tracardi-password"),
    ca: ref("ca.crt"),
    nodeCert: (node: string) => ref(`${node}.crt`),
    nodeKey: (node: string) => ref(`${node}.key`),
};

export const searchNodeName = (index: number): string => `search-${index}`;

/** Heap of a node: half the server (the rest is Lucene's file cache), at most where compressed pointers end. */
export function serverHeapMiB(instanceType: string): number {
    const capacity = instanceCapacity(instanceType);
    if (!capacity) {
        throw new RangeError(`${instanceType} is not a type this program knows`);
    }
    return heapMiB(capacity.memoryMiB);
}

/** Below this a server leaves Elasticsearch less than a 2 GiB heap. */
export const SEARCH_SERVER_MIN_MEMORY_MIB = 4096;

export interface SearchNode {
    index: number;
    /** The node's zone, e.g. eu-west-1a: its zone attribute for shard allocation awareness. */
    zone: string;
    /** The private address of the node's network interface: published to the others and in its certificate. */
    address: string;
    networkInterfaceId: string;
    volumeId: string;
}

export interface SearchNodeArgs {
    region: string;
    /** Pinned Elasticsearch version. */
    version: string;
    instanceType: string;
    node: SearchNode;
    /** Every node of the cluster, this one included: the seeds, and the first masters. */
    nodes: SearchNode[];
    /** The search nodes' secret (SEARCH_SECRET_REFS) and their log group. */
    secretArn: string;
    logGroup: string;
    /** The snapshot repository and policy (snapshotRepository, snapshotPolicy) registered by every node, idempotently. */
    repository: ReturnType<typeof snapshotRepository>;
    policy: Record<string, unknown>;
}

/**
 * elasticsearch.yml of one node: TLS on transport (verified against the stack's CA and the peer's
 * address) and HTTP, the zone as an allocation awareness attribute, the other nodes as seeds.
 * `cluster.initial_master_nodes` is not here: the setup adds it only on a node whose volume is blank.
 */
export function elasticsearchYml(args: SearchNodeArgs): string {
    const { node, nodes } = args;
    const lines = [
        `cluster.name: ${SEARCH_CLUSTER_NAME}`,
        `node.name: ${searchNodeName(node.index)}`,
        "node.roles: [master, data, ingest]",
        `node.attr.zone: ${node.zone}`,
        // With one replica, a zone's loss leaves a copy of every shard in another zone.
        "cluster.routing.allocation.awareness.attributes: zone",
        // Every address of the server (the one-shots call 127.0.0.1); the others know it by its interface's.
        "network.bind_host: 0.0.0.0",
        `network.publish_host: ${node.address}`,
        `http.port: ${HTTP_PORT}`,
        `transport.port: ${TRANSPORT_PORT}`,
        `discovery.seed_hosts: [${nodes.map((n) => `"${n.address}:${TRANSPORT_PORT}"`).join(", ")}]`,
        "xpack.security.enabled: true",
        "xpack.security.enrollment.enabled: false",
        "xpack.security.transport.ssl.enabled: true",
        "xpack.security.transport.ssl.verification_mode: full",
        `xpack.security.transport.ssl.key: ${CERTS}/node.key`,
        `xpack.security.transport.ssl.certificate: ${CERTS}/node.crt`,
        `xpack.security.transport.ssl.certificate_authorities: [${CERTS}/ca.crt]`,
        "xpack.security.http.ssl.enabled: true",
        `xpack.security.http.ssl.key: ${CERTS}/node.key`,
        `xpack.security.http.ssl.certificate: ${CERTS}/node.crt`,
        `xpack.security.http.ssl.certificate_authorities: [${CERTS}/ca.crt]`,
        // Snapshots go to S3 with the server's instance role (credentials IMDS refreshes), through
        // the regional endpoint that the VPC's S3 gateway endpoint serves.
        `s3.client.default.endpoint: s3.${args.region}.amazonaws.com`,
        "slm.health.failed_snapshot_warn_threshold: 1",
    ];
    return `${lines.join("\n")}\n`;
}

/**
 * Bash run once at a server's first boot, before the units: the kernel setting Elasticsearch
 * checks, then the node's interface and volume, attached as soon as the server they were on has
 * let them go (a replaced server's are freed when it terminates), the volume formatted only when
 * blank and mounted (fstab keeps it across reboots). A blank volume means a node that never held
 * data: only then does it name the first masters, so a replaced node never bootstraps a new cluster.
 */
export function searchNodeSetup(args: SearchNodeArgs): string {
    const { node, region } = args;
    const serial = node.volumeId.replace("-", "");
    const firstMasters = `cluster.initial_master_nodes: [${args.nodes.map((n) => `"${searchNodeName(n.index)}"`).join(", ")}]\n`;
    return [
        "# Elasticsearch's bootstrap check.",
        writeFileCommand("/etc/sysctl.d/90-elasticsearch.conf", `vm.max_map_count=${MAX_MAP_COUNT}\n`, "0644"),
        "sysctl --system > /dev/null",
        "",
        "# The node's interface and volume: free once the server they were on has terminated.",
        `region=${shellQuote(region)}`,
        "attach() {",
        "    local kind=$1 id=$2 state",
        "    for _ in $(seq 1 90); do",
        "        if [[ ${kind} == volume ]]; then",
        "            state=$(aws ec2 describe-volumes --region \"${region}\" --volume-ids \"${id}\" --query 'Volumes[0].[State,Attachments[0].InstanceId]' --output text || true)",
        "        else",
        "            state=$(aws ec2 describe-network-interfaces --region \"${region}\" --network-interface-ids \"${id}\" --query 'NetworkInterfaces[0].[Status,Attachment.InstanceId]' --output text || true)",
        "        fi",
        "        case ${state} in",
        "            *\"${instance_id}\"*) return 0 ;;",
        "            available*)",
        "                if [[ ${kind} == volume ]]; then",
        `                    aws ec2 attach-volume --region "\${region}" --volume-id "\${id}" --instance-id "\${instance_id}" --device ${VOLUME_DEVICE} > /dev/null || true`,
        "                else",
        "                    aws ec2 attach-network-interface --region \"${region}\" --network-interface-id \"${id}\" --instance-id \"${instance_id}\" --device-index 1 > /dev/null || true",
        "                fi ;;",
        "        esac",
        "        sleep 10",
        "    done",
        "    return 1",
        "}",
        // A server that cannot take the node's identity gives its launch up: the group replaces it.
        "give_up() {",
        "    echo \"$1\" >&2",
        "    group=$(aws autoscaling describe-auto-scaling-instances --region \"${region}\" --instance-ids \"${instance_id}\" --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text || true)",
        `    aws autoscaling complete-lifecycle-action --region "\${region}" --auto-scaling-group-name "\${group}" --lifecycle-hook-name ${SEARCH_LAUNCH_HOOK} --instance-id "\${instance_id}" --lifecycle-action-result ABANDON || true`,
        "    exit 1",
        "}",
        `attach network-interface ${shellQuote(node.networkInterfaceId)} || give_up ${shellQuote(`network interface ${node.networkInterfaceId} did not attach`)}`,
        `attach volume ${shellQuote(node.volumeId)} || give_up ${shellQuote(`volume ${node.volumeId} did not attach`)}`,
        `device=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${serial}`,
        "for _ in $(seq 1 60); do [[ -e ${device} ]] && break; sleep 2; done",
        `[[ -e \${device} ]] || device=${VOLUME_DEVICE}`,
        // blkid exits 2 when the device holds no filesystem: only then is it formatted.
        "fstype=$(blkid -o value -s TYPE \"${device}\" || true)",
        "if [[ -z ${fstype} ]]; then",
        "    mkfs.xfs -q -L tracardi-search \"${device}\"",
        "fi",
        `install -d -m 0750 ${SEARCH_DATA_DIR}`,
        "uuid=$(blkid -o value -s UUID \"${device}\")",
        `grep -q "\${uuid}" /etc/fstab || echo "UUID=\${uuid} ${SEARCH_DATA_DIR} xfs defaults,nofail 0 2" >> /etc/fstab`,
        `mountpoint -q ${SEARCH_DATA_DIR} || mount ${SEARCH_DATA_DIR}`,
        `chown ${ES_UID}:0 ${SEARCH_DATA_DIR}`,
        "",
        "# The node's configuration; a node whose volume is blank also names the first masters.",
        writeFileCommand(YML_PATH, elasticsearchYml(args), "0644").trimEnd(),
        `if [[ -z $(ls -A ${SEARCH_DATA_DIR}) ]]; then`,
        `    printf '%s' ${shellQuote(firstMasters)} >> ${YML_PATH}`,
        "fi",
        "",
    ].join("\n");
}

/** The node's user data: the setup, Elasticsearch under systemd, and the two one-shots that set it up for Tracardi. */
export function searchNodeUserData(args: SearchNodeArgs): string {
    const name = searchNodeName(args.node.index);
    const heap = serverHeapMiB(args.instanceType);
    const refs = SEARCH_SECRET_REFS;
    const local = [
        { name: "ES_URL", value: `https://127.0.0.1:${HTTP_PORT}` },
        { name: "ES_USERNAME", value: "elastic" },
    ];
    const superuser = { ES_PASSWORD: refs.elasticPassword, ES_CA: refs.ca };
    const user = searchUserInputs(refs.tracardiPassword);
    return renderServerUserData({
        region: args.region,
        secretArn: args.secretArn,
        logGroup: args.logGroup,
        setup: searchNodeSetup(args),
        containers: [{
            name: "search",
            image: searchImage(args.version),
            env: [
                { name: "ES_JAVA_OPTS", value: `-Xms${heap}m -Xmx${heap}m` },
                // The image sets the built-in superuser's password from it when the cluster first
                // forms; a file, so the password is not in the container's environment.
                { name: "ELASTIC_PASSWORD_FILE", value: `${CERTS}/elastic-password` },
            ],
            // A volume enlarged in AWS (elasticsearch.volumeGiB) grows its filesystem at the next start.
            preStart: [`/usr/sbin/xfs_growfs -d ${SEARCH_DATA_DIR}`],
            hostNetwork: true,
            ulimits: [NOFILE],
            mounts: [
                { source: SEARCH_DATA_DIR, target: "/usr/share/elasticsearch/data", readOnly: false },
                { source: YML_PATH, target: `${ES_CONFIG}/elasticsearch.yml`, readOnly: true },
            ],
            files: [
                { secret: refs.elasticPassword, path: `${CERTS}/elastic-password` },
                { secret: refs.ca, path: `${CERTS}/ca.crt` },
                { secret: refs.nodeCert(name), path: `${CERTS}/node.crt` },
                { secret: refs.nodeKey(name), path: `${CERTS}/node.key` },
            ],
            fileOwner: ES_UID,
        }],
        oneShots: [
            {
                // Tracardi's user, then the launch hook: the server counts as in service (and the
                // next one may be replaced) only once the node has joined and the cluster is green
                // (register.py, node_ready).
                name: "search-ready",
                script: SNAPSHOT_SCRIPT,
                after: unitName("search"),
                env: [
                    ...local,
                    ...user.env,
                    { name: "NODE_NAME", value: name },
                    { name: "LIFECYCLE_HOOK", value: SEARCH_LAUNCH_HOOK },
                    { name: "FIRST_MASTERS_FILE", value: YML_PATH },
                    { name: "AWS_REGION", value: args.region },
                ],
                secretFiles: { ...superuser, ...user.secretFiles },
            },
            {
                // Not awaited: a snapshot problem must not keep search from serving.
                name: "search-snapshots",
                script: SNAPSHOT_SCRIPT,
                after: unitName("search"),
                env: [...local, ...snapshotInputs(args.repository, args.policy)],
                secretFiles: superuser,
            },
        ],
    });
}

/**
 * What a node's role may do beyond the servers' common policy: attach its own volume and interface
 * (both tagged for the node) to a server of its own node, complete (and keep alive with
 * heartbeats) its own group's launch hook, and find its group.
 */
export function searchNodeStatements(args: { nodeName: string; volumeArn: string; networkInterfaceArn: string }): Record<string, unknown>[] {
    const ownNode = (service: string) => ({ StringEquals: { [`${service}:ResourceTag/${SEARCH_NODE_TAG}`]: args.nodeName } });
    return [
        {
            Sid: "AttachTheNodesVolume", Effect: "Allow", Action: "ec2:AttachVolume",
            Resource: [args.volumeArn, "arn:aws:ec2:*:*:instance/*"], Condition: ownNode("aws"),
        },
        {
            Sid: "AttachTheNodesInterface", Effect: "Allow", Action: "ec2:AttachNetworkInterface",
            Resource: [args.networkInterfaceArn, "arn:aws:ec2:*:*:instance/*"], Condition: ownNode("aws"),
        },
        // Neither has resource ARNs.
        { Sid: "SeeAttachments", Effect: "Allow", Action: ["ec2:DescribeVolumes", "ec2:DescribeNetworkInterfaces", "autoscaling:DescribeAutoScalingInstances"], Resource: "*" },
        {
            Sid: "CompleteTheNodesLaunch", Effect: "Allow", Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"],
            Resource: "*", Condition: ownNode("autoscaling"),
        },
    ];
}
