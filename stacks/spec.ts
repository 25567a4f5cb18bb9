import { z } from "zod";
import { ConfigError, ConfigProblem } from "./errors";
import { PROFILE_DEFAULTS } from "./profiles";
import { crossFieldProblems } from "./rules";
import { RawConfig, tracardiValues } from "./config";
import { checkSecrets, isSecretName, SecretName } from "./secrets";
import { PROFILES, Profile, StackSpec, specSchema } from "./schema";

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else (arrays included) replaces the default. */
export function mergeDefaults(defaults: Plain, given: Plain): Plain {
    const merged: Plain = { ...defaults };
    for (const [key, value] of Object.entries(given)) {
        merged[key] = isPlain(value) && isPlain(defaults[key]) ? mergeDefaults(defaults[key] as Plain, value) : value;
    }
    return merged;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    return path.reduce<unknown>((node, key) => (isPlain(node) || Array.isArray(node) ? (node as Plain)[key as string] : undefined), root);
}

/** The schema node at a path, looking through optional and piped wrappers. */
function schemaAt(schema: z.ZodType, path: PropertyKey[]): z.ZodType | undefined {
    let node: z.ZodType | undefined = schema;
    for (const key of [...path, undefined]) {
        for (;;) {
            const def: { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType } = node!.def as never;
            if (def.type === "optional" || def.type === "default") {
                node = def.innerType;
            } else if (def.type === "pipe") {
                node = def.in;
            } else {
                break;
            }
        }
        if (key === undefined) {
            return node;
        }
        const def = node!.def as { type: string; element?: z.ZodType };
        node = def.type === "object" ? (node as z.ZodObject).shape[key as string]
            : def.type === "array" ? def.element : undefined;
        if (!node) {
            return undefined;
        }
    }
    return node;
}

function describeNumber(schema: z.ZodType | undefined): string | undefined {
    if (schema instanceof z.ZodNumber) {
        const kind = schema.isInt ? "an integer" : "a number";
        return `${kind} from ${schema.minValue} to ${schema.maxValue}`;
    }
    return undefined;
}

function toProblems(issue: z.core.$ZodIssue, input: Plain): ConfigProblem[] {
    const key = issue.path.map(String).join(".");
    const given = valueAt(input, issue.path);
    const at = schemaAt(specSchema, issue.path);
    switch (issue.code) {
        case "unrecognized_keys": {
            const parent = schemaAt(specSchema, issue.path);
            const known = parent instanceof z.ZodObject ? Object.keys(parent.shape).join(", ") : undefined;
            return issue.keys.map((k) => ({
                key: key ? `${key}.${k}` : k,
                reason: "is not a known key (a typo?)",
                given: valueAt(input, [...issue.path, k]),
                allowed: known,
            }));
        }
        case "invalid_value":
            return [{ key, reason: "is not one of the allowed values", given, allowed: issue.values.map(String).join(", ") }];
        case "invalid_type":
            return [{
                key,
                reason: given === undefined ? "is required" : `is not ${issue.expected === "int" ? "an integer" : `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`}`,
                given,
                allowed: describeNumber(at) ?? (issue.expected === "int" ? "an integer" : issue.expected),
            }];
        case "invalid_format":
            return [{
                key, reason: issue.message, given,
                allowed: issue.format === "email" ? "an e-mail address such as ops@example.com" : `a value in ${issue.format} format`,
            }];
        case "too_small":
        case "too_big":
        {
            const small = issue.code === "too_small";
            const bound = small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum;
            const custom = !/^Too (small|big)/.test(issue.message);
            return [{
                key,
                reason: custom ? issue.message : `is too ${small ? "small" : "large"}`,
                given,
                allowed: describeNumber(at) ?? `${small ? "at least" : "at most"} ${bound}${issue.origin === "array" ? (bound === 1 ? " entry" : " entries") : ""}`,
            }];
        }
        default: {
            const params = (issue as { params?: { allowed?: string } }).params;
            return [{ key, reason: issue.message, given, allowed: params?.allowed }];
        }
    }
}

/**
 * Turns the `tracardi:` keys of a stack (names without the namespace) into a validated spec:
 * profile defaults first, the stack's values over them. Throws a ConfigError listing every problem.
 */
export function parseSpec(raw: Plain, source?: string, extraProblems: ConfigProblem[] = []): StackSpec {
    const profile = (raw.profile ?? "production") as Profile;
    const defaults = PROFILES.includes(profile) ? PROFILE_DEFAULTS[profile] : PROFILE_DEFAULTS.production;
    // Without Kubernetes, search runs on servers of its own unless the stack says otherwise.
    const computeDefaults = raw.compute === "vm" ? { elasticsearch: { provider: "ec2" } } : {};
    const input = mergeDefaults(mergeDefaults({ profile: "production", ...defaults }, computeDefaults), raw);
    const result = specSchema.safeParse(input);
    const problems = [
        ...extraProblems,
        ...(result.error?.issues ?? []).flatMap((issue) => toProblems(issue, input)),
        ...crossFieldProblems(input),
    ];
    if (problems.length > 0 || !result.success) {
        throw new ConfigError(problems, source);
    }
    return result.data;
}

/**
 * The whole configuration of a stack: the spec, and which secret keys it sets (their values
 * stay in Pulumi's secret config). All problems of both are reported together.
 */
export function parseStackConfig(config: RawConfig, source?: string): { spec: StackSpec; secrets: SecretName[] } {
    const values = tracardiValues(config);
    const secrets = checkSecrets(config);
    const plain = Object.fromEntries(Object.entries(values).filter(([key]) => !isSecretName(key)));
    return { spec: parseSpec(plain, source, secrets.problems), secrets: secrets.given };
}
