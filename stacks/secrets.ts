import { OFFLINE_SECRET_PREFIX, RawConfig, tracardiValues } from "./config";
import { ConfigProblem, NAMESPACE } from "./errors";

/**
 * Config keys that hold secrets. Each is optional: when absent the stack generates the value
 * (random, kept in the stack's encrypted state), but for those marked `generated: false`, which
 * only the operator can know. When present it must have been set with
 * `pulumi config set --secret`, so it never sits in plain text in a stack file.
 */
export const SECRET_SETTINGS = {
    /** Guards POST /install; Tracardi's default, "tracardi", would let anyone install. */
    installationToken: { minLength: 16 },
    /** Key for automatic profile merging; Tracardi warns below 20 characters. */
    autoProfileMergingKey: { minLength: 20 },
    /** Password of the first Tracardi admin (adminEmail). */
    adminPassword: { minLength: 12 },
    /**
     * Password of the MySQL master user: RDS takes at most 41 printable characters but for
     * / @ " and space, and Tracardi puts it in a connection URL, so letters, digits, - and _ only.
     */
    mysqlPassword: { minLength: 16, maxLength: 41, charset: /^[A-Za-z0-9_-]+$/, charsetText: "letters, digits, - and _" },
    /** Password of elasticsearch.username on an external cluster (Elasticsearch's own minimum is 6). */
    elasticsearchPassword: { minLength: 6, generated: false },
    /** PEM CA of an external cluster's HTTP certificate, when a public CA did not sign it. */
    elasticsearchCa: { minLength: 1, generated: false },
} as const;

export type SecretName = keyof typeof SECRET_SETTINGS;
export const SECRET_NAMES = Object.keys(SECRET_SETTINGS) as SecretName[];

/** The secrets the stack generates when they are not given. */
export type GeneratedSecretName = {
    [K in SecretName]: (typeof SECRET_SETTINGS)[K] extends { generated: false } ? never : K
}[SecretName];
export const GENERATED_SECRET_NAMES = SECRET_NAMES.filter((name): name is GeneratedSecretName => !("generated" in SECRET_SETTINGS[name]));

/** Secrets that belong to an external Elasticsearch only. */
const EXTERNAL_SEARCH_SECRETS: SecretName[] = ["elasticsearchPassword", "elasticsearchCa"];

export function isSecretName(key: string): key is SecretName {
    return (SECRET_NAMES as string[]).includes(key);
}

/** Secret keys given in the configuration, and what is wrong with them (values never shown). */
export function checkSecrets(config: RawConfig): { given: SecretName[]; problems: ConfigProblem[] } {
    const given: SecretName[] = [];
    const problems: ConfigProblem[] = [];
    for (const name of SECRET_NAMES) {
        const key = `${NAMESPACE}:${name}`;
        const value = config.values[key];
        if (value === undefined) {
            continue;
        }
        given.push(name);
        if (!config.secretKeys.includes(key)) {
            problems.push({
                key: name, reason: "is in plain text", given: "(hidden)",
                allowed: `a secret: pulumi config set --secret ${key} <value>` +
                    ("generated" in SECRET_SETTINGS[name] ? "" : ", or remove it to have one generated"),
            });
        } else if (!value.startsWith(OFFLINE_SECRET_PREFIX)) {
            // Offline placeholders stand for values only `pulumi up` can decrypt and check.
            problems.push(...secretFormatProblems(name, value));
        }
    }
    problems.push(...externalSearchProblems(config, given));
    return { given, problems };
}

function secretFormatProblems(name: SecretName, value: string): ConfigProblem[] {
    const rules: { minLength: number; maxLength?: number; charset?: RegExp; charsetText?: string } = SECRET_SETTINGS[name];
    const length = `${rules.minLength}${rules.maxLength ? ` to ${rules.maxLength}` : " or more"} characters`;
    if (value.length < rules.minLength || (rules.maxLength !== undefined && value.length > rules.maxLength)) {
        return [{ key: name, reason: `is ${value.length < rules.minLength ? "too short" : "too long"}`, given: `(${value.length} characters)`, allowed: length }];
    }
    if (rules.charset && !rules.charset.test(value)) {
        return [{ key: name, reason: "has characters that are not allowed", given: "(hidden)", allowed: `${rules.charsetText}, ${length}` }];
    }
    return [];
}

/** An external Elasticsearch needs its password; ECK's cluster has credentials and a CA of its own. */
function externalSearchProblems(config: RawConfig, given: SecretName[]): ConfigProblem[] {
    const elasticsearch = tracardiValues(config).elasticsearch;
    const provider = typeof elasticsearch === "object" && elasticsearch !== null ? (elasticsearch as { provider?: unknown }).provider : undefined;
    if (provider === "external") {
        return given.includes("elasticsearchPassword") ? [] : [{
            key: "elasticsearchPassword", reason: "is required with elasticsearch.provider external", given: undefined,
            allowed: `a secret: pulumi config set --secret ${NAMESPACE}:elasticsearchPassword <password of elasticsearch.username>`,
        }];
    }
    return EXTERNAL_SEARCH_SECRETS.filter((name) => given.includes(name)).map((name) => ({
        key: name, reason: "is only read with elasticsearch.provider external", given: "(hidden)",
        allowed: "remove it: the ECK cluster has its own credentials and CA",
    }));
}
