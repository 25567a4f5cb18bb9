import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { deserializeProperties, specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { skipPromiseTraces } from "./promiseTraces";

/**
 * One set of mocks for the whole program: every invoke it makes is answered here, and every
 * registered resource is recorded with its parent and options so tests and the offline plan
 * can read what `pulumi up` would create.
 */

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
const ZONES = ["a", "b", "c", "d", "e", "f"].map((z) => `${REGION}${z}`);

export interface RecordedResource {
    urn: string;
    /** The id the mocks gave it (what other resources' inputs refer to). */
    id: string;
    type: string;
    name: string;
    /** URN of the parent resource; undefined only for the stack's root component. */
    parent?: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    dependsOn: string[];
    /** URNs this resource was known by before (its aliases), as the engine computes them. */
    aliases: string[];
    /** Properties whose change replaces the resource, and whether the old one goes first. */
    replaceOnChanges: string[];
    deleteBeforeReplace: boolean;
    /** Per input property, the resources whose outputs it was built from. */
    propertyDependencies: Record<string, string[]>;
    ignoreChanges: string[];
    inputs: Record<string, unknown>;
    /** Provider reference (`<provider urn>::<id>`); empty for the default provider. */
    provider: string;
    /** `customTimeouts` as given (empty strings for the provider's defaults). */
    customTimeouts?: { create: string; update: string; delete: string };
    /** Input properties that were Pulumi secrets when registered. */
    secretInputs: string[];
}

const recorded: RecordedResource[] = [];

export function recordedResources(): RecordedResource[] {
    return [...recorded];
}

export function clearRecordedResources(): void {
    recorded.length = 0;
    invoked.length = 0;
}

function shortId(name: string): string {
    return crypto.createHash("sha256").update(name).digest("hex").slice(0, 17);
}

/** The name Pulumi's auto-naming gives a resource that is given none: its name plus a suffix. */
const autoName = (name: string) => `${name}-${shortId(name).slice(0, 7)}`;

const ADDON_VERSIONS: Record<string, string> = {
    "vpc-cni": "v1.20.4", "kube-proxy": "v1.34.0", coredns: "v1.12.3", "aws-ebs-csi-driver": "v1.48.0",
};

const invokes: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
    // The stack's own region's zones: the plan's picture and zone tables name them as AWS would.
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => {
        const region = new pulumi.Config("aws").get("region") ?? REGION;
        const names = ZONES.map((zone) => zone.replace(REGION, region));
        return { id: region, names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`) };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/offline`, userId: "AIDAOFFLINE",
    }),
    "aws:index/getRegion:getRegion": () => ({ id: REGION, name: REGION, region: REGION }),
    "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" }),
    // EKS's default add-on versions for a Kubernetes version: offline stand-ins of the real shape.
    "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
        id: String(inputs.addonName), addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion,
        version: `${ADDON_VERSIONS[String(inputs.addonName)] ?? "v1.0.0"}-eksbuild.k${inputs.kubernetesVersion}`,
    }),
    // SSM public parameters, e.g. the current Amazon Linux AMI: a stand-in AMI id per parameter.
    // `insecureValue` is the same value, not marked secret (what the program reads for a public id).
    "aws:ssm/getParameter:getParameter": (inputs) => {
        const value = `ami-0offline${shortId(String(inputs.name))}`;
        return { id: inputs.name, name: inputs.name, arn: `arn:aws:ssm:${REGION}::parameter${inputs.name}`, value, insecureValue: value, type: "String", version: 1 };
    },
    "aws:route53/getZone:getZone": (inputs) => ({
        id: "Z0OFFLINE0ZONE", zoneId: "Z0OFFLINE0ZONE", name: inputs.name, arn: "arn:aws:route53:::hostedzone/Z0OFFLINE0ZONE",
    }),
};

/** Values AWS computes on create that the program reads; plain echoes of inputs otherwise. */
function computed(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const id = shortId(name);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return inputs.assignGeneratedIpv6CidrBlock ? { ipv6CidrBlock: "2600:1f18:abc:de00::/56" } : {};
        case "aws:eks/cluster:Cluster":
            return {
                arn: arn("eks", `cluster/${inputs.name ?? name}`),
                endpoint: `https://${id.toUpperCase()}.gr7.${REGION}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(`offline CA of ${name}`).toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/${id.toUpperCase()}` }] }],
                vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: `sg-${id}` },
            };
        case "aws:eks/nodeGroup:NodeGroup":
            return { arn: arn("eks", `nodegroup/${name}`), resources: [{ autoscalingGroups: [{ name: `eks-${name}-${id}` }] }] };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                arn: arn("elasticloadbalancing", `loadbalancer/app/${name}/${id}`),
                arnSuffix: `app/${name}/${id}`,
                dnsName: `${name}-${id}.${REGION}.elb.amazonaws.com`,
                zoneId: "Z32O12XQLNTSW2",
            };
        case "aws:lb/targetGroup:TargetGroup":
            return { arn: arn("elasticloadbalancing", `targetgroup/${name}/${id}`), arnSuffix: `targetgroup/${name}/${id}` };
        case "aws:acm/certificate:Certificate": {
            const domains = [inputs.domainName, ...((inputs.subjectAlternativeNames as string[]) ?? [])];
            return {
                arn: arn("acm", `certificate/${id}`),
                domainValidationOptions: domains.map((domainName) => ({
                    domainName,
                    resourceRecordName: `_${shortId(String(domainName))}.${domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${shortId(`v${domainName}`)}.acm-validations.aws.`,
                })),
            };
        }
        case "aws:route53/record:Record":
            return { fqdn: String(inputs.name).replace(/\.$/, "") };
        case "aws:wafv2/webAcl:WebAcl":
            return { arn: arn("wafv2", `regional/webacl/${name}/${id}`) };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                arn: arn("elasticache", `replicationgroup:${name}`),
                primaryEndpointAddress: `master.${name}.${id.slice(0, 6)}.euw1.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.${id.slice(0, 6)}.euw1.cache.amazonaws.com`,
            };
        case "aws:rds/instance:Instance": {
            const address = `${name}.${id.slice(0, 12)}.${REGION}.rds.amazonaws.com`;
            return { arn: arn("rds", `db:${name}`), address, endpoint: `${address}:3306`, port: inputs.port ?? 3306 };
        }
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::${ACCOUNT}:${type.includes("role") ? "role" : "policy"}/${inputs.name ?? name}`, name: inputs.name ?? name };
        case "aws:iam/instanceProfile:InstanceProfile":
            return { arn: `arn:aws:iam::${ACCOUNT}:instance-profile${inputs.path ?? "/"}${inputs.name ?? autoName(name)}` };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            // A new template is at version 1, which is also its default.
            return { arn: arn("ec2", `launch-template/lt-${id}`), latestVersion: 1, defaultVersion: 1 };
        case "aws:autoscaling/group:Group": {
            const group = (inputs.name as string) ?? autoName(name);
            return { name: group, arn: arn("autoscaling", `autoScalingGroup:${id}:autoScalingGroupName/${group}`) };
        }
        case "aws:iam/user:User":
            // Named as Pulumi's auto-naming names it (see newResource).
            return { arn: `arn:aws:iam::${ACCOUNT}:user${inputs.path ?? "/"}${inputs.name ?? autoName(name)}` };
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager's ARNs end in the name and six random characters.
            return { arn: arn("secretsmanager", `secret:${name}-${id.slice(0, 6)}`), name: autoName(name) };
        case "aws:iam/accessKey:AccessKey":
            return { secret: `offline-secret-access-key-${id}` };
        case "aws:kms/key:Key":
            return { arn: arn("kms", `key/${id}`), keyId: id };
        case "aws:s3/bucketV2:BucketV2":
        case "aws:s3/bucket:Bucket": {
            const bucket = (inputs.bucket as string) ?? autoName(name);
            return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${REGION}.amazonaws.com` };
        }
        case "aws:cloudwatch/logGroup:LogGroup": {
            // A name prefix gets a unique suffix of 26 characters, as the provider's namePrefix does.
            const logGroup = (inputs.name as string) ?? (inputs.namePrefix ? `${inputs.namePrefix}${id}${id.slice(0, 9)}` : name);
            return { arn: arn("logs", `log-group:${logGroup}`), name: logGroup };
        }
        case "aws:ec2/networkInterface:NetworkInterface": {
            // A private address EC2 picks in the subnet; here one from the name, stable across runs.
            const n = parseInt(id.slice(0, 4), 16);
            return { arn: arn("ec2", `network-interface/eni-${id}`), privateIp: `10.0.${(n >> 8) % 256}.${(n % 250) + 4}` };
        }
        case "aws:ebs/volume:Volume":
            return { arn: arn("ec2", `volume/vol-${id}`) };
        case "tls:index/privateKey:PrivateKey":
            return { privateKeyPem: `-----BEGIN PRIVATE KEY-----\noffline key of ${name}\n-----END PRIVATE KEY-----\n`, publicKeyPem: `offline public key of ${name}` };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { certPem: `-----BEGIN CERTIFICATE-----\noffline certificate of ${name}\n-----END CERTIFICATE-----\n` };
        case "tls:index/certRequest:CertRequest":
            return { certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\noffline request of ${name}\n-----END CERTIFICATE REQUEST-----\n` };
        case "random:index/randomId:RandomId":
            return { hex: id.slice(0, 2 * Number(inputs.byteLength ?? 8)), b64Url: id.slice(0, 11) };
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString":
            return { result: `offline-random-${id}` };
        default:
            return type.startsWith("aws:") ? { arn: arn(type.split(":")[1].split("/")[0], `${name}/${id}`) } : {};
    }
}

const ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet", "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/internetGateway:InternetGateway": "igw", "aws:ec2/natGateway:NatGateway": "nat", "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb", "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce", "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/flowLog:FlowLog": "fl", "aws:ec2/networkInterface:NetworkInterface": "eni", "aws:ebs/volume:Volume": "vol",
};

export const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const prefix = ID_PREFIXES[args.type];
        const id = prefix ? `${prefix}-${shortId(args.name)}` : `${args.name}-id`;
        // AWS resources without a given name get one from Pulumi's auto-naming.
        const named = args.type.startsWith("aws:") ? { name: autoName(args.name) } : {};
        return { id, state: { ...named, ...args.inputs, ...computed(args.type, args.name, args.inputs) } };
    },
    call(args) {
        invoked.push({ token: args.token, inputs: args.inputs });
        const answer = invokes[args.token];
        if (!answer) {
            throw new Error(`the offline mocks do not answer invoke ${args.token}: add it to offline/mocks.ts`);
        }
        return answer(args.inputs);
    },
};

type RegisterRequest = {
    getType(): string; getName(): string; getProvider(): string; getParent(): string; getCustom(): boolean; getProtect(): boolean;
    getRetainondelete(): boolean;
    getReplaceonchangesList(): string[];
    getAliasesList(): { getUrn(): string; getSpec(): AliasSpec | undefined }[];
    getDeletebeforereplace(): boolean;
    getPropertydependenciesMap(): { forEach(f: (value: { getUrnsList(): string[] }, key: string) => void): void };
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined; getDependenciesList(): string[]; getIgnorechangesList(): string[];
    getObject(): Parameters<typeof deserializeProperties>[0];
};
type AliasSpec = { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean };
type Callback = (err: unknown, response?: { getUrn(): string; getId(): string }) => void;

/** Dotted paths of the values that were marked secret in a serialized input object. */
function secretPaths(value: unknown, path = ""): string[] {
    if (typeof value !== "object" || value === null) {
        return [];
    }
    const node = value as Record<string, unknown>;
    if (node[specialSigKey] === specialSecretSig) {
        return [path];
    }
    return Object.entries(node).flatMap(([k, v]) => secretPaths(v, path ? `${path}.${k}` : k));
}

function propertyDependencies(req: RegisterRequest): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
        result[key] = value.getUrnsList();
    });
    return result;
}

function timeouts(given: ReturnType<RegisterRequest["getCustomtimeouts"]>): RecordedResource["customTimeouts"] {
    return given && { create: given.getCreate(), update: given.getUpdate(), delete: given.getDelete() };
}

/** Invokes the program made, with their arguments, since mocks were last installed. */
const invoked: { token: string; inputs: Record<string, unknown> }[] = [];

export function recordedInvokes(): { token: string; inputs: Record<string, unknown> }[] {
    return [...invoked];
}

/** The inputs with every secret replaced by its value (secretInputs says which they were). */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const node = value as Record<string, unknown>;
    if (node[specialSigKey] === specialSecretSig) {
        return unwrapSecrets(node.value);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/**
 * Installs the mocks for one stack. The mock monitor tells newResource nothing of parents or
 * options, so its registerResource is wrapped to record them.
 */
export async function installMocks(stack: string, preview = false): Promise<void> {
    skipPromiseTraces();
    await pulumi.runtime.setMocks(mocks, "tracardi", stack, preview);
    const monitor = getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
        newUrn(parent: string, type: string, name: string): string;
    };
    // The mock monitor qualifies a type with its parent's own type only; the engine qualifies it with
    // the parent's whole chain (pulumi/pulumi pkg/resource/deploy/deployment.go generateURN:
    // parent.QualifiedType()), so a resource moved under another grandparent gets a new URN.
    const engineUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${[stack, "tracardi", qualified, name].join("::")}`;
    };
    monitor.newUrn = engineUrn;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => register(req, (err, response) => {
        if (!err && response) {
            recorded.push({
                urn: response.getUrn(),
                id: response.getId(),
                type: req.getType(),
                name: req.getName(),
                parent: req.getParent() || undefined,
                custom: req.getCustom(),
                provider: req.getProvider(),
                customTimeouts: timeouts(req.getCustomtimeouts()),
                protect: req.getProtect(),
                retainOnDelete: req.getRetainondelete(),
                dependsOn: req.getDependenciesList(),
                replaceOnChanges: req.getReplaceonchangesList(),
                aliases: req.getAliasesList().map((alias) => {
                    const spec = alias.getSpec();
                    if (!spec) {
                        return alias.getUrn();
                    }
                    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
                    return engineUrn(parent, spec.getType() || req.getType(), spec.getName() || req.getName());
                }),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                propertyDependencies: propertyDependencies(req),
                ignoreChanges: req.getIgnorechangesList(),
                inputs: unwrapSecrets(deserializeProperties(req.getObject())) as Record<string, unknown>,
                secretInputs: secretPaths(req.getObject()?.toJavaScript()),
            });
        }
        callback(err, response);
    });
}
