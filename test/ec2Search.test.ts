import * as assert from "assert";
import { spawnSync } from "child_process";
import { autoScalingGroupVerdict } from "../offline/awaitRules";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { mandatoryViolations, runPolicies } from "../offline/policyRunner";
import { ofType } from "../offline/query";
import { decodeUserData, vmUserData } from "../offline/userData";
import { MAX_MAP_COUNT, SEARCH_LAUNCH_HOOK, SEARCH_SERVER_MIN_MEMORY_MIB, serverHeapMiB } from "../lib/ec2Search";
import { MAX_HEAP_MIB } from "../lib/elasticsearch";
import { instanceCapacity } from "../lib/instanceTypes";
import { ConfigError } from "../stacks/errors";
import { parseSpec } from "../stacks/spec";
import { readStackFile, tracardiValues } from "../stacks/config";
import { planOf, planVariant } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SEARCH_LT = /^tracardi-search-\d+-lt$/;
const groupsOf = (plan: StackPlan) => ofType(plan.resources, "aws:autoscaling/group:Group")
    .filter((g) => (g.inputs.tags as Obj[]).some((t) => t.key === "tracardi:tier" && t.value === "search"));
const byId = (plan: StackPlan, id: unknown) => plan.resources.find((r) => r.id === id)!;
/** elasticsearch.yml as a node's user data writes it. */
const ymlOf = (script: string) => /cat > \/etc\/tracardi\/elasticsearch\.yml <<'(\w+)'\n([\s\S]*?)\n\1\n/.exec(script)![2];
const setting = (yml: string, key: string) => new RegExp(`^${key.replace(/\./g, "\\.")}: (.*)$`, "m").exec(yml)?.[1];
/** The container environment a server's unit is given: plain env file, secret variables by reference. */
const envFileOf = (script: string, container: string) =>
    new RegExp(`cat > /etc/tracardi/${container}\\.env <<'(\\w+)'\\n([\\s\\S]*?)\\n?\\1\\n`).exec(script)![2];

describe("Elasticsearch on EC2 servers (elasticsearch.provider ec2)", () => {
    let vm: StackPlan;
    let scripts: Record<string, string>;
    before(async () => {
        vm = await planOf("Pulumi.vm.yaml");
        scripts = vmUserData(vm.resources);
    });

    it("is what a VM stack gets by default, and refused where it cannot work, naming the key", () => {
        const raw = tracardiValues(readStackFile("Pulumi.vm.yaml"));
        const unnamed = { ...raw.elasticsearch as Obj };
        delete unnamed.provider;
        assert.strictEqual(parseSpec({ ...raw, elasticsearch: unnamed }).elasticsearch.provider, "ec2");
        const refused = (changes: Obj, key: string, reason: RegExp) => assert.throws(() => parseSpec({ ...raw, ...changes }),
            (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.key === key && reason.test(p.reason)), `${key}: ${reason}`);
        refused({ compute: "eks" }, "elasticsearch.provider", /an EKS stack runs it in the cluster with ECK/);
        refused({ elasticsearch: { ...raw.elasticsearch as Obj, nodes: 5 } }, "elasticsearch.nodes", /5 search nodes in 3 zones/);
        refused({ elasticsearch: { ...raw.elasticsearch as Obj, instanceType: "t3.small" } }, "elasticsearch.instanceType", /below 2 GiB/);
        refused({ elasticsearch: { ...raw.elasticsearch as Obj, version: "8.3.3" } }, "elasticsearch.version", /older than 8\.4/);
        refused({ elasticsearch: { ...raw.elasticsearch as Obj, hosts: ["https://es.example.com:9243"] } }, "elasticsearch.hosts", /only read with elasticsearch.provider external/);
        assert.ok(instanceCapacity("t3.small")!.memoryMiB < SEARCH_SERVER_MIN_MEMORY_MIB);
    });

    it("runs one node per zone, each an Auto Scaling group of one in its zone's data subnet", () => {
        const groups = groupsOf(vm);
        assert.strictEqual(groups.length, vm.spec.elasticsearch.nodes);
        const zones = groups.map((g) => {
            const inputs = g.inputs as Obj;
            assert.deepStrictEqual([inputs.minSize, inputs.desiredCapacity, inputs.vpcZoneIdentifiers.length], [1, 1, 1], g.name);
            const subnet = byId(vm, inputs.vpcZoneIdentifiers[0]);
            assert.match(subnet.name, /-data-\d$/, `${g.name} runs outside the data subnets`);
            assert.strictEqual(inputs.healthCheckType, "EC2", "a search node is not a load balancer's target by group");
            assert.strictEqual(inputs.instanceRefresh, undefined, "a template change would replace every node at once");
            // Never two servers of a node: the second could not take its volume and address.
            assert.deepStrictEqual([inputs.maxSize, inputs.instanceMaintenancePolicy], [1, { minHealthyPercentage: 0, maxHealthyPercentage: 100 }]);
            // A server that never joins is given up and replaced, and the create waits for the replacement.
            assert.deepStrictEqual(inputs.initialLifecycleHooks.map((h: Obj) => [h.name, h.lifecycleTransition, h.defaultResult]),
                [[SEARCH_LAUNCH_HOOK, "autoscaling:EC2_INSTANCE_LAUNCHING", "ABANDON"]]);
            assert.strictEqual(inputs.ignoreFailedScalingActivities, true);
            return (subnet.inputs as Obj).availabilityZone;
        });
        assert.strictEqual(new Set(zones).size, groups.length);
    });

    it("keeps each node's data on an encrypted, protected gp3 volume in the node's zone, which its servers attach", () => {
        const volumes = ofType(vm.resources, "aws:ebs/volume:Volume");
        assert.strictEqual(volumes.length, vm.spec.elasticsearch.nodes);
        for (const [k, volume] of volumes.entries()) {
            const inputs = volume.inputs as Obj;
            assert.deepStrictEqual([inputs.type, inputs.encrypted, inputs.size, inputs.finalSnapshot, volume.protect], ["gp3", true, vm.spec.elasticsearch.volumeGiB, true, true]);
            const group = groupsOf(vm)[k];
            assert.strictEqual(inputs.availabilityZone, (byId(vm, (group.inputs as Obj).vpcZoneIdentifiers[0]).inputs as Obj).availabilityZone, `${volume.name} lives outside its node's zone`);
            const script = scripts[`tracardi-search-${k}-lt`];
            assert.match(script, new RegExp(`attach volume ${volume.id} \\|\\| give_up`));
            assert.match(script, new RegExp(`nvme-Amazon_Elastic_Block_Store_${volume.id.replace("-", "")}`));
        }
    });

    it("renders each node's Elasticsearch: pinned image, TLS, seeds, zone awareness, first masters only on a blank volume", () => {
        const interfaces = ofType(vm.resources, "aws:ec2/networkInterface:NetworkInterface");
        // The interfaces' addresses, as the load balancer's targets name them.
        const addresses = ofType(vm.resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment").map((a) => String((a.inputs as Obj).targetId));
        assert.strictEqual(new Set(addresses).size, interfaces.length);
        for (const [k, networkInterface] of interfaces.entries()) {
            const script = scripts[`tracardi-search-${k}-lt`];
            const parsed = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
            assert.strictEqual(parsed.status, 0, parsed.stderr);
            assert.match(script, new RegExp(`docker\\.elastic\\.co/elasticsearch/elasticsearch:${vm.spec.elasticsearch.version.replace(/\./g, "\\.")}$`, "m"));
            assert.match(script, new RegExp(`vm\\.max_map_count=${MAX_MAP_COUNT}`));
            assert.match(script, /--network host/);
            assert.match(script, /--ulimit nofile=65536:65536/);
            const heap = serverHeapMiB(vm.spec.elasticsearch.instanceType);
            assert.strictEqual(heap, Math.min(instanceCapacity(vm.spec.elasticsearch.instanceType)!.memoryMiB / 2, MAX_HEAP_MIB));
            assert.match(envFileOf(script, "search"), new RegExp(`^ES_JAVA_OPTS=-Xms${heap}m -Xmx${heap}m$`, "m"));
            assert.match(envFileOf(script, "search"), /^ELASTIC_PASSWORD_FILE=\/usr\/share\/elasticsearch\/config\/certs\/elastic-password$/m);
            assert.doesNotMatch(script, /"name":"ELASTIC_PASSWORD"/, "the superuser's password is in the container's environment");
            assert.match(script, /^ExecStartPre=-\/usr\/sbin\/xfs_growfs -d \/var\/lib\/tracardi-search$/m);
            assert.match(script, /^Environment="FIRST_MASTERS_FILE=\/etc\/tracardi\/elasticsearch\.yml"$/m);
            const yml = ymlOf(script);
            const subnet = byId(vm, (networkInterface.inputs as Obj).subnetId);
            assert.strictEqual(setting(yml, "node.attr.zone"), (subnet.inputs as Obj).availabilityZone);
            assert.strictEqual(setting(yml, "cluster.routing.allocation.awareness.attributes"), "zone");
            assert.strictEqual(setting(yml, "network.publish_host"), addresses[k]);
            assert.strictEqual(setting(yml, "discovery.seed_hosts"), `[${addresses.map((a) => `"${a}:9300"`).join(", ")}]`);
            for (const key of ["xpack.security.enabled", "xpack.security.transport.ssl.enabled", "xpack.security.http.ssl.enabled"]) {
                assert.strictEqual(setting(yml, key), "true", key);
            }
            assert.strictEqual(setting(yml, "xpack.security.transport.ssl.verification_mode"), "full");
            assert.strictEqual(setting(yml, "cluster.initial_master_nodes"), undefined, "first masters named on a node that may rejoin with data");
            assert.match(script, /if \[\[ -z \$\(ls -A \/var\/lib\/tracardi-search\) \]\]; then\n\s+printf '%s' 'cluster\.initial_master_nodes: \["search-0", "search-1", "search-2"\]\n' >> \/etc\/tracardi\/elasticsearch\.yml\nfi/);
        }
    });

    it("puts no key or password in the user data: the nodes fetch them from their secret at every start", () => {
        const version = ofType(vm.resources, "aws:secretsmanager/secretVersion:SecretVersion").find((v) => byId(vm, v.inputs.secretId).name === "tracardi-search-secrets")!;
        assert.ok(version.secretInputs.includes("secretString"));
        const stored = JSON.parse(String(version.inputs.secretString)) as Record<string, string>;
        // Secrets Manager holds at most 65,536 bytes a secret value.
        assert.ok(Buffer.byteLength(String(version.inputs.secretString)) < 65536);
        assert.deepStrictEqual(Object.keys(stored).sort(), ["ca.crt", "elastic-password", "search-0.crt", "search-0.key", "search-1.crt", "search-1.key",
            "search-2.crt", "search-2.key", "tracardi-password"].map((k) => `tracardi-search/${k}`));
        for (const [name, script] of Object.entries(scripts).filter(([n]) => SEARCH_LT.test(n))) {
            assert.doesNotMatch(script, /BEGIN (EC )?PRIVATE KEY|BEGIN CERTIFICATE/, name);
            for (const value of Object.values(stored)) {
                assert.ok(!script.includes(value), `${name} holds a secret value`);
            }
            assert.match(script, /"secretId":"arn:aws:secretsmanager:[^"]+:secret:tracardi-search-secrets-/);
        }
    });

    it("admits 9200 from the API tiers through an internal load balancer only, 9300 among the nodes; no address range", () => {
        const rules = [...ofType(vm.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), ...ofType(vm.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")]
            .filter((r) => r.name.startsWith("tracardi-search-"));
        assert.ok(rules.length >= 4);
        for (const rule of rules) {
            const inputs = rule.inputs as Obj;
            assert.strictEqual(inputs.cidrIpv4 ?? inputs.cidrIpv6, undefined, `${rule.name} names an address range`);
        }
        const nodes = ofType(vm.resources, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "tracardi-search-nodes")!;
        const endpoint = ofType(vm.resources, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "tracardi-search-endpoint-sg")!;
        const into = (group: RecordedResource) => rules.filter((r) => r.type.endsWith("IngressRule") && (r.inputs as Obj).securityGroupId === group.id)
            .map((r) => [(r.inputs as Obj).fromPort, (r.inputs as Obj).referencedSecurityGroupId]).sort();
        assert.deepStrictEqual(into(nodes), [[9200, endpoint.id], [9300, nodes.id]]);
        const apiGroups = ofType(vm.resources, "aws:ec2/securityGroup:SecurityGroup").filter((g) => /^tracardi-(public|internal)-api-nodes$/.test(g.name)).map((g) => g.id);
        assert.deepStrictEqual(into(endpoint), apiGroups.map((id) => [9200, id]).sort());

        const [lb] = ofType(vm.resources, "aws:lb/loadBalancer:LoadBalancer").filter((r) => r.name === "tracardi-search-lb");
        const lbInputs = lb.inputs as Obj;
        assert.deepStrictEqual([lbInputs.loadBalancerType, lbInputs.internal, lbInputs.securityGroups, lbInputs.enableCrossZoneLoadBalancing], ["network", true, [endpoint.id], true]);
        assert.ok((lbInputs.subnets as string[]).every((id) => /-data-\d$/.test(byId(vm, id).name)));
        const listener = vm.resources.find((r) => r.type === "aws:lb/listener:Listener" && r.name === "tracardi-search-https")!;
        assert.deepStrictEqual([(listener.inputs as Obj).protocol, (listener.inputs as Obj).port, (listener.inputs as Obj).tcpIdleTimeoutSeconds], ["TCP", 9200, 3600],
            "the API's pooled connections would be reset after the default 350 s");
        const interfaces = ofType(vm.resources, "aws:ec2/networkInterface:NetworkInterface").map((i) => i.urn);
        for (const attachment of ofType(vm.resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment")) {
            assert.deepStrictEqual([(attachment.inputs as Obj).port, attachment.propertyDependencies.targetId.filter((urn) => interfaces.includes(urn)).length], [9200, 1],
                "a target is not a node's interface address");
        }
    });

    it("tells the API the load balancer, TLS verified against the stack's CA, as Tracardi's own user", () => {
        const lb = vm.resources.find((r) => r.name === "tracardi-search-lb")!;
        for (const tier of ["public-api", "internal-api"]) {
            const env = envFileOf(scripts[`tracardi-vm-${tier}-lt`], tier);
            assert.match(env, new RegExp(`^ELASTIC_HOST=${(lb.inputs as Obj).dnsName ?? `tracardi-search-lb-[0-9a-f]+\\.eu-west-1\\.elb\\.amazonaws\\.com`}:9200$`, "m"));
            assert.match(env, /^ELASTIC_SCHEME=https$/m);
            assert.match(env, /^ELASTIC_VERIFY_CERTS=yes$/m);
            assert.match(env, /^ELASTIC_CA_FILE=\/etc\/tracardi\/elastic-ca\/ca\.crt$/m);
            assert.match(env, /^ELASTIC_HTTP_AUTH_USERNAME=tracardi$/m);
        }
        // Each node's certificate names what its clients dial: the load balancer, its own address, and 127.0.0.1 for its own units.
        const host = /^ELASTIC_HOST=(.*):9200$/m.exec(envFileOf(scripts["tracardi-vm-public-api-lt"], "public-api"))![1];
        const targets = ofType(vm.resources, "aws:lb/targetGroupAttachment:TargetGroupAttachment").map((a) => String((a.inputs as Obj).targetId));
        for (const [k, request] of ofType(vm.resources, "tls:index/certRequest:CertRequest").entries()) {
            assert.deepStrictEqual([(request.inputs as Obj).dnsNames, (request.inputs as Obj).ipAddresses], [[host, "localhost"], [targets[k], "127.0.0.1"]]);
        }
        // The servers' secret holds the user's password and the CA the search component made.
        const versions = ofType(vm.resources, "aws:secretsmanager/secretVersion:SecretVersion");
        const held = (name: string) => JSON.parse(String(versions.find((v) => byId(vm, v.inputs.secretId).name === name)!.inputs.secretString));
        const search = held("tracardi-search-secrets");
        const servers = held("tracardi-vm-secrets");
        assert.strictEqual(servers["tracardi-elasticsearch/password"], search["tracardi-search/tracardi-password"]);
        assert.strictEqual(servers["tracardi-elasticsearch/ca.crt"], search["tracardi-search/ca.crt"]);
    });

    it("snapshots daily to the protected, encrypted, versioned bucket through the nodes' role, registered by every node", () => {
        const bucket = vm.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "tracardi-search-snapshots")!;
        assert.ok(bucket.protect);
        const encryption = ofType(vm.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) => r.name === bucket.name)!;
        const key = vm.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "tracardi-search-snapshots")!;
        assert.strictEqual((encryption.inputs as Obj).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.deepStrictEqual(encryption.propertyDependencies.rules, [key.urn], "the bucket is not encrypted with search's own key");
        assert.ok(key.protect);
        assert.ok(ofType(vm.resources, "aws:s3/bucketVersioning:BucketVersioning").some((v) => v.name === bucket.name));
        // A role per node (each within IAM's 10,240 characters of inline policy), all named by the key's policy.
        const roles = ofType(vm.resources, "aws:iam/role:Role").filter((r) => /^tracardi-search-\d+-servers$/.test(r.name)).map((r) => `arn:aws:iam::123456789012:role/${r.name}`);
        assert.strictEqual(roles.length, vm.spec.elasticsearch.nodes);
        const keyPolicy = JSON.parse(String((key.inputs as Obj).policy));
        assert.ok(keyPolicy.Statement.some((s: Obj) => JSON.stringify(s.Principal?.AWS) === JSON.stringify(roles)), "the key's policy does not name the nodes' roles");
        for (const policy of ofType(vm.resources, "aws:iam/rolePolicy:RolePolicy").filter((r) => /^tracardi-search-\d+-servers$/.test(r.name))) {
            assert.ok(String(policy.inputs.policy).length < 10240 / 2, `${policy.name} leaves no room in its role's inline policy quota`);
        }
        for (const [k, group] of groupsOf(vm).entries()) {
            const policy = JSON.parse(String(vm.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `tracardi-search-${k}-servers`)!.inputs.policy));
            const s3 = policy.Statement.filter((s: Obj) => [s.Action].flat().some((a: string) => a.startsWith("s3:")));
            assert.ok(s3.length > 0 && s3.every((s: Obj) => s.Condition?.StringEquals?.["aws:SourceVpce"]), "snapshots may leave the VPC's S3 endpoint");
            const script = scripts[`tracardi-search-${k}-lt`];
            assert.match(script, new RegExp(`Environment="REPOSITORY_BODY=\\{\\\\"type\\\\":\\\\"s3\\\\",\\\\"settings\\\\":\\{\\\\"bucket\\\\":\\\\"${(bucket.inputs as Obj).bucket ?? "tracardi-search-snapshots-[0-9a-f]+"}`));
            assert.match(script, /Environment="POLICY=tracardi-daily"/);
            assert.ok(group.dependsOn.length > 0);
        }
    });

    it("lets each node attach only its own volume and address, and complete only its own launch", () => {
        const volumes = ofType(vm.resources, "aws:ebs/volume:Volume");
        for (const [k, group] of groupsOf(vm).entries()) {
            const policy = JSON.parse(String(vm.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `tracardi-search-${k}-servers`)!.inputs.policy));
            const attach = policy.Statement.find((s: Obj) => s.Action === "ec2:AttachVolume");
            assert.deepStrictEqual(attach.Resource[0], `arn:aws:ec2:eu-west-1:123456789012:volume/${volumes[k].id}`);
            assert.deepStrictEqual(attach.Condition, { StringEquals: { "aws:ResourceTag/tracardi:search-node": `search-${k}` } });
            assert.ok((group.inputs.tags as Obj[]).some((t) => t.key === "tracardi:search-node" && t.value === `search-${k}` && t.propagateAtLaunch));
            assert.strictEqual((volumes[k].inputs as Obj).tags["tracardi:search-node"], `search-${k}`);
        }
    });

    it("Pulumi waits for each node to join a green cluster, and for search before Tracardi's servers; no node waits for another", () => {
        const groups = groupsOf(vm);
        for (const group of groups) {
            const verdict = autoScalingGroupVerdict(group, vm.resources, scripts);
            assert.strictEqual(verdict.problem, undefined, verdict.problem);
            assert.match(verdict.providedBy!, new RegExp(SEARCH_LAUNCH_HOOK));
        }
        // A node waiting for another never gets its quorum: the model says so.
        const chained = vm.resources.map((r) => (r === groups[1] ? { ...r, dependsOn: [...r.dependsOn, groups[0].urn] } : r));
        assert.match(autoScalingGroupVerdict(chained.find((r) => r.urn === groups[1].urn)!, chained, scripts).problem!, /neither finishes/);
        // A heartbeat outside what AWS accepts fails the create.
        const longHook = vm.resources.map((r) => (r === groups[0]
            ? { ...r, inputs: { ...r.inputs, initialLifecycleHooks: (r.inputs.initialLifecycleHooks as Obj[]).map((h) => ({ ...h, heartbeatTimeout: 10800 })) } } : r));
        assert.match(autoScalingGroupVerdict(longHook[vm.resources.indexOf(groups[0])], longHook, scripts).problem!, /AWS allows 30 to 7200/);
        // A user data that never completes the hook leaves every create waiting out the heartbeat.
        const template = vm.resources.find((r) => r.id === (groups[0].inputs as Obj).launchTemplate.id)!;
        const silent = { ...scripts, [template.name]: scripts[template.name].replace(/LIFECYCLE_HOOK=/g, "HOOK=") };
        assert.match(autoScalingGroupVerdict(groups[0], vm.resources, silent).problem!, /no unit of the server's user data completes/);
        // What a node needs at its first boot exists before its group: its role's policy, and (through the
        // node's component, whose children register only once it has) the search secret's value.
        const secretVersion = vm.resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion" && r.name === "tracardi-search-secrets")!;
        for (const [k, group] of groups.entries()) {
            const rolePolicy = vm.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `tracardi-search-${k}-servers`)!;
            const node = vm.resources.find((r) => r.urn === group.parent)!;
            assert.ok(group.dependsOn.includes(rolePolicy.urn) && node.dependsOn.includes(secretVersion.urn), `${group.name} may start before its permissions or secret`);
        }
        // Tracardi's servers are created once search is ready.
        const compute = vm.resources.find((r) => r.type === "tracardi:vm:Compute")!;
        assert.deepStrictEqual(groups.map((g) => compute.dependsOn.includes(g.urn)), groups.map(() => true));
        assert.strictEqual(decodeUserData(String(template.inputs.userData)), scripts[template.name]);
    });

    it("a minimal VM stack runs one node in one zone, without replicas", async () => {
        const small = await planVariant("Pulumi.vm.yaml", {
            profile: "minimal", dns: { internalApiHost: undefined },
            elasticsearch: { nodes: 1 }, network: { availabilityZones: 2, natGateways: "single" },
        }, "vm-small");
        assert.strictEqual(groupsOf(small).length, 1);
        const script = vmUserData(small.resources)["tracardi-search-0-lt"];
        assert.match(script, /cluster\.initial_master_nodes: \["search-0"\]/);
        assert.match(envFileOf(vmUserData(small.resources)["tracardi-vm-api-lt"], "api"), /^ELASTIC_INDEX_REPLICAS=0$/m);
    });

    it("the policy pack's search rules judge servers as they judge ECK: nodes over zones, private, TLS, zone-aware", async () => {
        const verdicts = await runPolicies(vm.resources);
        assert.deepStrictEqual(mandatoryViolations(verdicts), []);
        const edit = (change: (r: RecordedResource) => RecordedResource) => vm.resources.map(change);
        const violations = async (resources: RecordedResource[]) => mandatoryViolations(await runPolicies(resources)).map((v) => `${v.policy}: ${v.message}`);
        const withCidr = edit((r) => (r.name === "tracardi-search-http-from-endpoint" ? { ...r, inputs: { ...r.inputs, cidrIpv4: "0.0.0.0/0" } } : r));
        assert.ok((await violations(withCidr)).some((m) => /tracardi-search-private: .*0\.0\.0\.0\/0 reach search/.test(m)));
        const publicLb = edit((r) => (r.name === "tracardi-search-lb" ? { ...r, inputs: { ...r.inputs, internal: false } } : r));
        assert.ok((await violations(publicLb)).some((m) => /puts search on the Internet/.test(m)));
        const twoGroups = groupsOf(vm).slice(1).map((g) => g.urn);
        const fewer = vm.resources.filter((r) => !twoGroups.includes(r.urn));
        assert.ok((await violations(fewer)).some((m) => /tracardi-search-cluster: the stack runs 1 search server/.test(m)));
    });
});
