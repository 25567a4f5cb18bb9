import type { RawConfig } from "./config";
import { ConfigProblem, NAMESPACE } from "./errors";

/**
 * Config keys that hold secrets. Each is optional: when absent the stack generates the value
 * (random, kept in the stack's encrypted state). When present it must have been set with
 * `pulumi config set --secret`, so it never sits in plain text in a stack file.
 */
export const SECRET_SETTINGS = {
    /** Guards POST /install; Tracardi's default, "tracardi", would let anyone install. */
    installationToken: { minLength: 16 },
    /** Key for automatic profile merging; Tracardi warns below 20 characters. */
    autoProfileMergingKey: { minLength: 20 },
    /** Password of the first Tracardi admin (adminEmail). */
    adminPassword: { minLength: 12 },
    /** Password of the MySQL master user. */
    mysqlPassword: { minLength: 16 },
} as const;

export type SecretName = keyof typeof SECRET_SETTINGS;
export const SECRET_NAMES = Object.keys(SECRET_SETTINGS) as SecretName[];

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
                allowed: `a secret: pulumi config set --secret ${key} <value>, or remove it to have one generated`,
            });
        } else if (value.length < SECRET_SETTINGS[name].minLength) {
            problems.push({
                key: name, reason: "is too short", given: `(${value.length} characters)`,
                allowed: `at least ${SECRET_SETTINGS[name].minLength} characters`,
            });
        }
    }
    return { given, problems };
}
