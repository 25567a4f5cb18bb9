/** CloudWatch Logs facts shared by the config schema and the components. */

/** The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export function isLogRetention(days: number): boolean {
    return (LOG_RETENTION_DAYS as readonly number[]).includes(days);
}

/** AWS WAF delivers logs only to a destination whose name starts with this (WAF Developer Guide, "Log group naming"). */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
